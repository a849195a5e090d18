/* \summary: the -T fields collector (tshark's field output) and the -V tree */
#ifndef AUTHSCOPE_DECODERS_FIELDS_H
#define AUTHSCOPE_DECODERS_FIELDS_H

#include <stdio.h>

#include "decoders/dissect.h"

struct fields_opts {
	char separator;            /* -E separator=/t -> '\t' */
	char aggregator;           /* -E aggregator=| */
	char occurrence;           /* -E occurrence=a|f|l */
	char quote;                /* -E quote=n|d|s -> 0, '"', '\'' */
	int header;                /* -E header=y */
};

struct fields *fields_new(const char *const *names, size_t n, const struct fields_opts *o);
void fields_free(struct fields *f);
void fields_reset(struct fields *f);          /* start a new frame */
void fields_print_header(struct fields *f, FILE *out);
/* Rows are kept and written in pieces of about 64 KiB: fields_flush()
 * writes what is kept (before anything else goes to out, and at the end;
 * fields_free does too). */
void fields_print_row(struct fields *f, FILE *out);
void fields_flush(struct fields *f);
/* Value of field i in the current frame (aggregated), for tests. */
const char *fields_value(struct fields *f, size_t i);

struct dtree *dtree_new(void);
void dtree_free(struct dtree *t);
void dtree_reset(struct dtree *t);
const char *dtree_text(struct dtree *t);      /* indented lines, '\n'-ended */

#endif
