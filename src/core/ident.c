/* \summary: user name normalization */
#include "core/ident.h"

#include <string.h>

#include "core/str.h"

const char *user_norm(const char *user)
{
	if (!user)
		return NULL;
	const char *b = strrchr(user, '\\');
	b = b ? b + 1 : user;
	const char *at = strchr(b, '@');
	size_t n = at && at != b ? (size_t)(at - b) : strlen(b);
	char buf[256];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (b[i] >= 'A' && b[i] <= 'Z') ? (char)(b[i] + 32) : b[i];
	return intern(buf, n);
}

int user_matches(const char *filter, const char *user)
{
	if (!filter)
		return 1;
	return user && user_norm(filter) == user_norm(user);
}
