/* \summary: JUnit XML, the report CI servers read (check and analyze) */
#ifndef AUTHSCOPE_REPORT_JUNIT_H
#define AUTHSCOPE_REPORT_JUNIT_H

#include <stddef.h>
#include <stdio.h>

/* One testcase. Strings may come from input: they are escaped here.
 * failure NULL = passed; failure "" = failed without a message. */
struct junit_case {
	const char *classname, *name;
	const char *failure;        /* message attribute */
	const char *failure_type;   /* type attribute (NULL = "failure") */
	const char *body;           /* failure text (NULL = none) */
	const char *out;            /* system-out (NULL = none) */
};

/* <testsuites><testsuite name=suite ...> with every case; 0 or -1 on a
 * write error. */
int junit_write(FILE *o, const char *suite, const struct junit_case *v, size_t n);

#endif
