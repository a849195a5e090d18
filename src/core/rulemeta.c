/* \summary: the registry of loaded rules' metadata */
#include "core/rulemeta.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

static struct rule_meta *g_v;
static size_t g_n, g_cap;

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void free_meta(struct rule_meta *m)
{
	free((char *)m->kind);
	free((char *)m->title);
	free((char *)m->explain);
	free((char *)m->hint);
	free((char *)m->file);
}

void rulemeta_add(const struct rule_meta *m)
{
	struct rule_meta c = *m;
	c.id = intern_cstr(m->id);
	c.kind = dup_or_null(m->kind);
	c.title = dup_or_null(m->title);
	c.explain = dup_or_null(m->explain);
	c.hint = dup_or_null(m->hint);
	c.file = dup_or_null(m->file);
	for (size_t i = 0; i < g_n; i++)
		if (g_v[i].id == c.id) {
			free_meta(&g_v[i]);
			g_v[i] = c;
			return;
		}
	if (g_n == g_cap) {
		g_cap = g_cap ? g_cap * 2 : 64;
		g_v = xrealloc(g_v, g_cap * sizeof *g_v);
	}
	g_v[g_n++] = c;
}

const struct rule_meta *rulemeta_get(const char *id)
{
	for (size_t i = 0; i < g_n; i++)
		if (!strcmp(g_v[i].id, id))
			return &g_v[i];
	return NULL;
}

size_t rulemeta_count(void)
{
	return g_n;
}

const struct rule_meta *rulemeta_at(size_t i)
{
	return i < g_n ? &g_v[i] : NULL;
}

void rulemeta_reset(void)
{
	for (size_t i = 0; i < g_n; i++)
		free_meta(&g_v[i]);
	free(g_v);
	g_v = NULL;
	g_n = g_cap = 0;
}
