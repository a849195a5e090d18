/* \summary: what every loaded rule is, for output that names rules
 *
 * The rules engine registers each rule it loads; reports (SARIF rule
 * metadata, explain, the text report) read it here, so they need not know
 * the rules engine.
 */
#ifndef AUTHSCOPE_CORE_RULEMETA_H
#define AUTHSCOPE_CORE_RULEMETA_H

#include <stddef.h>
#include <stdint.h>

struct rule_meta {
	const char *id;             /* interned */
	uint8_t sev;                /* enum severity (default, after overrides) */
	const char *kind;           /* match|absence|threshold|correlate|... */
	const char *title;          /* one line: what it means */
	const char *explain;        /* longer text: fires when, suppresses what */
	const char *hint;           /* the hint template */
	const char *file;           /* where it was defined */
	uint32_t line;
	uint8_t builtin;
};

void rulemeta_add(const struct rule_meta *m);      /* copies; replaces same id */
const struct rule_meta *rulemeta_get(const char *id);
size_t rulemeta_count(void);
const struct rule_meta *rulemeta_at(size_t i);     /* in load order */
void rulemeta_reset(void);

#endif
