/* \summary: rules engine placeholder (the rules work item replaces this file) */
#include "rules/engine.h"

#include <stdlib.h>

#include "core/str.h"

struct rules {
	struct finding_set *fs;
	struct sess_table *sessions;
};

struct rules *rules_new(void)
{
	return xcalloc(1, sizeof(struct rules));
}

void rules_free(struct rules *r)
{
	free(r);
}

int rules_load_builtin(struct rules *r, FILE *err)
{
	(void)r;
	(void)err;
	return 0;
}

int rules_load_path(struct rules *r, const char *path, FILE *err)
{
	(void)r;
	fprintf(err, "%s: rule files are not supported in this build yet\n", path);
	return 1;
}

int rules_load_text(struct rules *r, const char *name, const char *text, size_t len, FILE *err)
{
	(void)r;
	(void)text;
	(void)len;
	fprintf(err, "%s: rule files are not supported in this build yet\n", name);
	return 1;
}

int rules_set_severity(struct rules *r, const char *id, unsigned sev)
{
	(void)r;
	(void)id;
	(void)sev;
	return -1;
}

void rules_bind(struct rules *r, struct finding_set *fs, struct sess_table *sessions)
{
	r->fs = fs;
	r->sessions = sessions;
}

void rules_on_event(struct rules *r, const struct ev *e)
{
	(void)r;
	(void)e;
}

void rules_advance(struct rules *r, int64_t now)
{
	(void)r;
	(void)now;
}

void rules_finish(struct rules *r)
{
	(void)r;
}
