/* \summary: small writers shared by the markup reports (HTML, JUnit) */
#ifndef AUTHSCOPE_REPORT_XMLOUT_H
#define AUTHSCOPE_REPORT_XMLOUT_H

#include <stdio.h>

/* s escaped for XML 1.0 text and attributes (NULL writes nothing). */
void put_xml(FILE *o, const char *s);
/* s escaped for HTML text and attributes (NULL writes nothing). */
void put_html(FILE *o, const char *s);

#endif
