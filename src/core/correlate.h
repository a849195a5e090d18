/* \summary: cross-source correlation helpers: clock error estimation
 *
 * The first, cheap pass over the file inputs hands every event to
 * clock_est_on_event; it keeps only the join keys of transactions that
 * several vantage points see (the headend's Access-Request by NAS address,
 * port and id; the proxy's request to the primary by server and outgoing
 * id; the final answer to the NAS) with their stamped times. clock_est_solve
 * matches them across inputs and sets each input's clock: a zone first,
 * when the stamps carry none and the difference is a whole zone (inferred),
 * then the error (offset_s, offset_basis), relative to a reference input
 * (a capture, else the proxy log, else the input with most matches).
 */
#ifndef AUTHSCOPE_CORE_CORRELATE_H
#define AUTHSCOPE_CORE_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct clock_est;

struct clock_est_res {
	uint32_t input;             /* the input whose clock was estimated */
	uint32_t ref;               /* the input it was compared against */
	double offset_s;            /* error after the zone (what offset_s gets) */
	uint32_t basis;             /* matched events the estimate rests on */
	int32_t zone_s;             /* the zone in force (inferred or not) */
	uint8_t zone_inferred;      /* the zone was inferred from the match */
	uint64_t pos;               /* a matched event of this input: the ref */
	int64_t ts;                 /* its corrected time */
};

struct clock_est *clock_est_new(void);
void clock_est_free(struct clock_est *ce);
/* Keep e's transaction keys (events of any input; others are ignored). */
void clock_est_on_event(struct clock_est *ce, const struct ev *e);
/* Match, estimate, and set input clocks (offset_s, offset_basis, an
 * inferred zone). Returns how many inputs got an estimate. The kept keys
 * are freed (they can be tens of MB): a later solve sees only events
 * given after this one. */
size_t clock_est_solve(struct clock_est *ce);
/* The estimates of the last solve (inputs other than the references). */
size_t clock_est_results(const struct clock_est *ce, const struct clock_est_res **out);

/* Robust centre of a set of differences (us): the median of the densest
 * window of width win_us. v is sorted in place. n > 0. */
int64_t clock_est_center(int64_t *v, size_t n, int64_t win_us, size_t *support);

/* Roles of addresses: which one is the headend, the proxy, the primary.
 * Learned from configs first (the proxy's radius_ip_N and [radius_client]
 * host, the router's radius server address and source), else from the
 * traffic of sources that know their own place (the proxy log, the
 * router's debug). roles_fix gives a capture's RADIUS arrows the roles of
 * their server address when those are known (a capture alone cannot tell
 * a headend talking to the proxy from one talking to the primary). */
struct role_map;
struct role_map *roles_new(void);
void roles_free(struct role_map *m);
void roles_learn(struct role_map *m, const struct ev *e);
unsigned roles_of(const struct role_map *m, const char *addr);     /* enum role, NONE */
/* Returns 1 when e's from/to were changed. */
int roles_fix(const struct role_map *m, struct ev *e);
/* A captured request to the proxy that carries no PAP password (CHAP,
 * MS-CHAP, EAP) while the proxy's config for that port needs one
 * ([radius_server_*] client=ad_client): fills out (a corr.protocol_mismatch
 * event citing e) and returns 1. */
int roles_pap_mismatch(const struct role_map *m, const struct ev *e, struct ev *out);

/* Clock error worth a finding (s). */
#define CLOCK_SKEW_S 2.0

#endif
