/*
 * convert: Traditional Chinese read as Simplified.
 *
 * Taiwanese, Hong Kong and overseas sources write Traditional characters
 * (建設魏橋國科研究院), and the rules are Simplified: matched as they are,
 * most names are missed. A document that is mostly Traditional (or every
 * document, with --convert t2s) has its normalised text converted with
 * OpenCC's t2s, phrase by phrase (OpenCC chooses 乾 -> 干 or 乾 by the
 * words around it), before matching. Its spans stay the file's bytes:
 * each character keeps the byte span of the character it replaced, as NFKC
 * keeps them (source.c), and the characters as written are kept beside the
 * converted ones for the outputs that show what the file says (mentions,
 * explain).
 *
 * That needs one character out for each character in. t2s keeps the count
 * nearly always; a run of Chinese where it does not is converted again one
 * character at a time, and a character that still becomes more or fewer
 * stays as written.
 *
 * "Mostly Traditional": more of the document's characters are written only
 * in Traditional than only in Simplified (src/hanzi_variants.h, made by
 * src/make_variants.c from the same OpenCC), so the test is a table
 * lookup a character and OpenCC is opened only for a document it converts.
 */
#include <dlfcn.h>
#include <opencc/opencc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hanzi_variants.h"
#include "util.h"

static kg_convert how = KG_CONVERT_AUTO;
/* One converter for the process, opened at first use; OpenCC's thread
 * safety is not documented, so conversions take turns. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t t2s = (opencc_t)-1;

/* OpenCC is loaded (dlopen) when the first document is converted, not
 * linked: it brings the C++ runtime and its dictionaries' libraries, which
 * took what kgraph maps at start from under 40 MB to 60 (a run under
 * `ulimit -v` could no longer start), and most runs read no Traditional
 * text. KG_OPENCC_SONAME is the installed library's soname (Makefile). */
static struct {
    opencc_t (*open)(const char *config);
    char *(*convert)(opencc_t od, const char *text, size_t len);
    void (*free_text)(char *text);
    const char *(*error)(void);
} occ;

/* Load OpenCC and open t2s, once; with the lock held. */
static int open_t2s(const char *name, kg_error *err) {
    if (t2s != (opencc_t)-1) return 0;
    if (!occ.open) {
        void *lib = dlopen(KG_OPENCC_SONAME, RTLD_NOW | RTLD_LOCAL);
        void *sym[4] = {NULL};
        static const char *const names[4] = {"opencc_open", "opencc_convert_utf8",
                                             "opencc_convert_utf8_free", "opencc_error"};
        for (int i = 0; lib && i < 4; i++) sym[i] = dlsym(lib, names[i]);
        if (!sym[0] || !sym[1] || !sym[2] || !sym[3]) {
            kg_error_set(err, "%s: Traditional Chinese: cannot load OpenCC (%s: %s); install it "
                         "(Debian: libopencc1.1) or give --convert none", name, KG_OPENCC_SONAME,
                         lib ? "a function is missing" : dlerror());
            return -1;
        }
        /* POSIX's way from an object pointer to a function pointer */
        memcpy(&occ.open, &sym[0], sizeof(sym[0]));
        memcpy(&occ.convert, &sym[1], sizeof(sym[1]));
        memcpy(&occ.free_text, &sym[2], sizeof(sym[2]));
        memcpy(&occ.error, &sym[3], sizeof(sym[3]));
    }
    t2s = occ.open("t2s.json");
    if (t2s == (opencc_t)-1) {
        kg_error_set(err, "%s: Traditional Chinese: cannot open OpenCC's t2s.json (%s); give "
                     "--convert none to read it as it is", name, occ.error());
        return -1;
    }
    return 0;
}

void kg_set_convert(kg_convert convert) { how = convert; }

int kg_doc_is_traditional(const kg_doc *doc) {
    /* Traditional-only characters less Simplified-only ones: one entry a
     * character, any outside the table reading its last, a 0 */
    const uint32_t past = KG_VARIANTS_LAST - KG_VARIANTS_FIRST + 1;
    long votes = 0;
    for (size_t i = 0; i < doc->len; i++) {
        uint32_t at = doc->text[i] - KG_VARIANTS_FIRST;
        votes += kg_variant_vote[at < past ? at : past];
    }
    return votes > 0;
}

/* Chinese characters: the runs OpenCC is given (its phrases never cross
 * punctuation or Latin text). */
static int is_han(uint32_t cp) {
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* t2s of the n code points at in into out (room for n): the number of code
 * points it made, or SIZE_MAX when that is not n (then out holds nothing
 * useful). Called with the lock held. */
static size_t convert_run(const uint32_t *in, size_t n, uint32_t *out, kg_buf *utf8) {
    utf8->len = 0;
    GROW(utf8->data, utf8->cap, n * 4 + 1);
    for (size_t i = 0; i < n; i++) utf8->len += kg_utf8_encode(in[i], utf8->data + utf8->len);
    char *converted = occ.convert(t2s, utf8->data, utf8->len);
    if (!converted) return SIZE_MAX;
    size_t made = 0, len = strlen(converted);
    uint32_t cp;
    for (size_t i = 0, k; i < len && made <= n; i += k) {
        if (!(k = kg_utf8_decode((const unsigned char *)converted + i, len - i, &cp))) break;
        if (made < n) out[made] = cp;
        made++;
    }
    occ.free_text(converted);
    return made == n ? n : SIZE_MAX;
}

/* Convert the run text[from, to) in place. */
static void convert_han(uint32_t *text, size_t from, size_t to, kg_buf *utf8) {
    size_t n = to - from;
    uint32_t *out = xmalloc(n * sizeof(uint32_t));
    if (convert_run(text + from, n, out, utf8) == n) memcpy(text + from, out, n * sizeof(uint32_t));
    else /* the count changed: character by character */
        for (size_t i = from; i < to; i++)
            if (convert_run(text + i, 1, out, utf8) == 1) text[i] = out[0];
    free(out);
}

int kg_doc_convert(kg_doc *doc, kg_error *err) {
    pthread_mutex_lock(&lock);
    if (open_t2s(doc->name, err) < 0) {
        pthread_mutex_unlock(&lock);
        return -1;
    }
    doc->written = xmalloc((doc->len ? doc->len : 1) * sizeof(uint32_t));
    memcpy(doc->written, doc->text, doc->len * sizeof(uint32_t));
    kg_buf utf8 = {0};
    for (size_t i = 0; i < doc->len;) {
        if (!is_han(doc->text[i])) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < doc->len && is_han(doc->text[end])) end++;
        convert_han(doc->text, i, end, &utf8);
        i = end;
    }
    pthread_mutex_unlock(&lock);
    kg_buf_free(&utf8);
    /* nothing changed: nothing to keep */
    if (memcmp(doc->written, doc->text, doc->len * sizeof(uint32_t)) == 0) {
        free(doc->written);
        doc->written = NULL;
    }
    return 0;
}

int kg_doc_convert_wanted(const kg_doc *doc) {
    return how == KG_CONVERT_T2S || (how == KG_CONVERT_AUTO && kg_doc_is_traditional(doc));
}
