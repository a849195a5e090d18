/* \summary: bounds-checked byte reader (sshbuf's habits, tcpdump's GET_ discipline)
 *
 * Every decoder reads packet bytes only through a struct rd. Each accessor
 * returns 0 or RD_ETRUNC and never reads past p + len; values come back
 * through out-parameters. rd_sub() carves a child reader for one attribute
 * or payload, so an inner length can never read past its outer one: a
 * length field is checked against what remains, never trusted.
 */
#ifndef AUTHSCOPE_DECODERS_RD_H
#define AUTHSCOPE_DECODERS_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RD_OK      0
#define RD_ETRUNC (-1)      /* fewer bytes remain than asked for */

struct rd {
	const uint8_t *p;
	size_t len, off;
};

static inline struct rd rd_make(const uint8_t *p, size_t len)
{
	struct rd r = {p, p ? len : 0, 0};
	return r;
}

static inline size_t rd_left(const struct rd *r)
{
	return r->len - r->off;
}

static inline const uint8_t *rd_ptr(const struct rd *r)
{
	return r->p + r->off;
}

static inline int rd_skip(struct rd *r, size_t n)
{
	if (n > rd_left(r))
		return RD_ETRUNC;
	r->off += n;
	return RD_OK;
}

static inline int rd_u8(struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return RD_ETRUNC;
	*v = r->p[r->off++];
	return RD_OK;
}

static inline int rd_be16(struct rd *r, uint16_t *v)
{
	if (rd_left(r) < 2)
		return RD_ETRUNC;
	const uint8_t *b = r->p + r->off;
	*v = (uint16_t)((b[0] << 8) | b[1]);
	r->off += 2;
	return RD_OK;
}

static inline int rd_be24(struct rd *r, uint32_t *v)
{
	if (rd_left(r) < 3)
		return RD_ETRUNC;
	const uint8_t *b = r->p + r->off;
	*v = ((uint32_t)b[0] << 16) | ((uint32_t)b[1] << 8) | b[2];
	r->off += 3;
	return RD_OK;
}

static inline int rd_be32(struct rd *r, uint32_t *v)
{
	if (rd_left(r) < 4)
		return RD_ETRUNC;
	const uint8_t *b = r->p + r->off;
	*v = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
	r->off += 4;
	return RD_OK;
}

static inline int rd_be64(struct rd *r, uint64_t *v)
{
	uint32_t hi, lo;
	if (rd_left(r) < 8)
		return RD_ETRUNC;
	rd_be32(r, &hi);
	rd_be32(r, &lo);
	*v = ((uint64_t)hi << 32) | lo;
	return RD_OK;
}

static inline int rd_le16(struct rd *r, uint16_t *v)
{
	if (rd_left(r) < 2)
		return RD_ETRUNC;
	const uint8_t *b = r->p + r->off;
	*v = (uint16_t)(b[0] | (b[1] << 8));
	r->off += 2;
	return RD_OK;
}

static inline int rd_le32(struct rd *r, uint32_t *v)
{
	if (rd_left(r) < 4)
		return RD_ETRUNC;
	const uint8_t *b = r->p + r->off;
	*v = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
	r->off += 4;
	return RD_OK;
}

/* Copy n bytes out. */
static inline int rd_copy(struct rd *r, void *dst, size_t n)
{
	if (n > rd_left(r))
		return RD_ETRUNC;
	memcpy(dst, r->p + r->off, n);
	r->off += n;
	return RD_OK;
}

/* A view of the next n bytes (no copy; valid as long as the packet is). */
static inline int rd_bytes(struct rd *r, const uint8_t **p, size_t n)
{
	if (n > rd_left(r))
		return RD_ETRUNC;
	*p = r->p + r->off;
	r->off += n;
	return RD_OK;
}

/* A child reader over the next n bytes; the parent advances past them. */
static inline int rd_sub(struct rd *r, struct rd *child, size_t n)
{
	if (n > rd_left(r))
		return RD_ETRUNC;
	*child = rd_make(r->p + r->off, n);
	r->off += n;
	return RD_OK;
}

/* Peek without advancing. */
static inline int rd_peek_u8(const struct rd *r, size_t at, uint8_t *v)
{
	if (at >= rd_left(r))
		return RD_ETRUNC;
	*v = r->p[r->off + at];
	return RD_OK;
}

#endif
