/* \summary: what every live source shares: wake-up times, dropping root */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "ingest/live_int.h"

int64_t live_wake(const struct ingest *g)
{
	int64_t w = INT64_MAX;
	for (size_t i = 0; i < g->nsrc; i++) {
		const struct source *s = g->src[i];
		if (!s || !s->ops || strncmp(s->ops->name, "live-", 5))
			continue;
		const struct live_src *ls = (const struct live_src *)s;
		if (ls->wake) {
			int64_t x = ls->wake(ls);
			if (x < w)
				w = x;
		}
	}
	return w;
}

int live_drop_privileges(const char *user, const struct live_env *env)
{
	if (!user)
		return 0;
	if (geteuid() != 0) {
		live_say(env, "-Z %s: not running as root: nothing to drop", user);
		return 0;
	}
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		live_say(env, "-Z: no user '%s': still running as root", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
		live_say(env, "-Z: cannot drop privileges to '%s': %s", user, strerror(errno));
		return -1;
	}
	return 0;
}
