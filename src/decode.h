/*
 * decode: a file's bytes as UTF-8 (decode.c has the detection rules).
 * Internal to the library; kg_doc_read_as() in kgraph.h is the way in.
 */
#ifndef KG_DECODE_H
#define KG_DECODE_H

#include "util.h"

typedef struct kg_decoded {
    char *text;           /* UTF-8 */
    size_t len;
    uint32_t *source;     /* source[i]: where in the file text[i]'s character
                             begins; source[len] is the file's size */
    const char *encoding; /* what it was decoded from, or NULL */
} kg_decoded;

/* Decode bytes written in encoding (any name iconv knows). 0 on success;
 * -1 with err for an unknown encoding or bytes it cannot decode (naming
 * the file and the byte). */
int kg_decode(const char *name, const char *bytes, size_t len, const char *encoding,
              kg_decoded *d, kg_error *err);
/* For bytes that are not UTF-8: decode them if they are UTF-16 or Chinese
 * GB18030 text (decode.c says how that is told). 0 if so; -1 if no guess
 * fits, err untouched (the UTF-8 error stands), or -1 with err set when a
 * UTF-16 byte-order mark names the encoding and the bytes are not valid in
 * it (a lone surrogate): that, not UTF-8, is what is wrong. */
int kg_decode_guess(const char *name, const char *bytes, size_t len, kg_decoded *d,
                    kg_error *err);
void kg_decoded_free(kg_decoded *d);

#endif
