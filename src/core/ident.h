/* \summary: identities across sources: one user, many spellings
 *
 * User-Name, EAP identity, `Remote EAP id` and the proxy's username can
 * differ in case, carry DOMAIN\ or @realm. user_norm() gives the form
 * used to compare and join; the reports show the first spelling seen.
 */
#ifndef AUTHSCOPE_CORE_IDENT_H
#define AUTHSCOPE_CORE_IDENT_H

/* Interned normalized user: lowercase ASCII, without DOMAIN\ or @realm. */
const char *user_norm(const char *user);
int user_matches(const char *filter, const char *user);

#endif
