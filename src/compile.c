/*
 * compile: the compiled form of a rule set (see compile.h).
 *
 * The file: a header (magic, version, the rule set's key, the file's
 * size, a checksum of the header and the table of sections), the table
 * (a section's number, offset and size), then the sections, each at an
 * offset that is a multiple of 16, as the arrays are in memory. Numbers
 * are in the machine's own order: the file is made for the machine that
 * runs it (a foreign order fails the checks, and a cached file is then
 * made again). The sections are described in compile.h; the gazetteer's
 * tables in rules.h, the automaton's in match.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "compile.h"

enum { IMAGE_ALIGN = 16 }; /* a state's record (16 bytes) never straddles a cache line */

/* The records a form holds as they are in memory: a change to one changes
 * the format (KG_COMPILED_VERSION, and these sizes). */
_Static_assert(sizeof(kg_entity) == 28 && sizeof(kg_literal) == 24 && sizeof(kg_rule_origin) == 8,
               "a gazetteer record changed: give compiled forms a new KG_COMPILED_VERSION");

/* Below this much rule text (sources, not the lexicon) a rule set parses
 * and builds in a few milliseconds: no cache file for it (the tests' and
 * fuzzers' small rule files would fill the folder). The built-in rules
 * (0.6 MB) are above it. */
#define CACHE_MIN_BYTES (512 * 1024)

/* SEC_RULES */
typedef struct image_rules {
    uint64_t n_names, n_attr_text, n_attrs, n_entities, n_literals, n_rules;
    uint64_t name_cap, name_count, n_types, n_files, n_sources;
} image_rules;

/* SEC_FILES: a kg_rule_file, strings as offsets in SEC_TEXT. */
typedef struct image_file {
    int32_t parent, at_line, source, tsv;
    uint64_t digest;
    uint64_t entry;          /* 1 + its offset; 0: none */
    uint64_t text, text_len; /* a rule file's text */
    uint32_t rules[2], literals[2], entities[2];
} image_file;

struct kg_image {
    kg_mapping map;
    kg_section sec[SEC_COUNT];
    uint64_t key;
    const image_rules *counts;
    kg_rule_file *files;  /* SEC_FILES for kg_rules_replay, strings in the mapping */
    const char **sources; /* SEC_SOURCES */
    kg_matcher *matcher;  /* checked when loaded, until kg_matcher_new takes it */
};

void kg_image_free(kg_image *image) {
    if (!image) return;
    kg_matcher_free(image->matcher);
    free(image->files);
    free(image->sources);
    kg_unmap(&image->map);
    free(image);
}

kg_section kg_image_find(const kg_image *image, enum kg_section_id id) {
    return image->sec[id];
}

uint64_t kg_image_checksum(const kg_image_header *h, const kg_image_section *table) {
    kg_image_header copy = *h;
    copy.checksum = 0;
    kg_buf b = {0};
    kg_buf_add(&b, &copy, sizeof(copy));
    kg_buf_add(&b, table, h->n_sections * sizeof(kg_image_section));
    uint64_t sum = kg_digest(b.data, b.len);
    kg_buf_free(&b);
    return sum;
}

int kg_is_compiled(const char *path) {
    char magic[8];
    FILE *f = fopen(path, "rb");
    int is = f && fread(magic, 1, 8, f) == 8 && memcmp(magic, KG_IMAGE_MAGIC, 8) == 0;
    if (f) fclose(f);
    return is;
}

/* The header and the table of sections: every section inside the file,
 * aligned, named once. */
static const char *check_header(kg_image *img) {
    const unsigned char *data = img->map.data;
    size_t size = img->map.size;
    kg_image_header h;
    if (size < sizeof(h)) return "shorter than its header";
    memcpy(&h, data, sizeof(h));
    if (memcmp(h.magic, KG_IMAGE_MAGIC, 8) != 0) return "not a compiled rule set";
    if (h.version != KG_COMPILED_VERSION) return "made by another version of kgraph";
    if (h.size != size) return "truncated, or its size is wrong";
    if (h.n_sections >= SEC_COUNT || sizeof(h) + h.n_sections * sizeof(kg_image_section) > size)
        return "its table of sections is wrong";
    const kg_image_section *table = (const kg_image_section *)(data + sizeof(h));
    if (kg_image_checksum(&h, table) != h.checksum) return "damaged (its header's checksum)";
    uint64_t table_end = sizeof(h) + h.n_sections * sizeof(kg_image_section);
    for (uint32_t i = 0; i < h.n_sections; i++) {
        const kg_image_section *s = &table[i];
        if (s->id == 0 || s->id >= SEC_COUNT || img->sec[s->id].data || s->offset % 8 ||
            s->offset < table_end || s->size > size || s->offset > size - s->size)
            return "its table of sections is wrong";
        img->sec[s->id] = (kg_section){data + s->offset, s->size};
    }
    img->key = h.key;
    return NULL;
}

static const char *open_image(const char *path, kg_image **out) {
    kg_mapping map;
    *out = NULL;
    if (kg_map_file(path, &map) < 0) return strerror(errno);
    kg_image *img = xcalloc(1, sizeof(*img));
    img->map = map;
    const char *why = check_header(img);
    if (why) kg_image_free(img);
    else *out = img;
    return why;
}

/* Section id as an array of count elements of size bytes. */
static const void *array_of(const kg_image *img, enum kg_section_id id, uint64_t count,
                            size_t size, const char **why) {
    if (*why) return NULL;
    kg_section s = img->sec[id];
    if (count > UINT64_MAX / size || s.size != count * size) {
        *why = "a table has the wrong size";
        return NULL;
    }
    return s.data;
}

/* A string of SEC_TEXT at offset, which must lie inside it (the section
 * ends with a NUL, so every string there ends). */
static const char *text_at(const kg_image *img, uint64_t offset, const char **why) {
    kg_section t = img->sec[SEC_TEXT];
    if (offset >= t.size) {
        if (!*why) *why = "a string out of range";
        return NULL;
    }
    return (const char *)t.data + offset;
}

/* The files (for kg_rules_replay), the sources' paths and the types'
 * names, checked. */
static const char *read_files(kg_image *img) {
    const image_rules *c = img->counts;
    kg_section t = img->sec[SEC_TEXT];
    if (!t.size || ((const char *)t.data)[t.size - 1]) return "its strings do not end";
    const char *why = NULL;
    const image_file *f = array_of(img, SEC_FILES, c->n_files, sizeof(image_file), &why);
    const uint64_t *src = array_of(img, SEC_SOURCES, c->n_sources, sizeof(uint64_t), &why);
    if (why) return why;
    img->sources = xmalloc((c->n_sources ? c->n_sources : 1) * sizeof(char *));
    for (size_t i = 0; i < c->n_sources; i++) img->sources[i] = text_at(img, src[i], &why);
    img->files = xcalloc(c->n_files ? c->n_files : 1, sizeof(kg_rule_file));
    for (size_t i = 0; i < c->n_files && !why; i++) {
        const image_file *g = &f[i];
        kg_rule_file *k = &img->files[i];
        if (g->parent < -1 || g->parent >= (int64_t)i || g->source < 0 ||
            (uint64_t)g->source >= c->n_sources || g->tsv < 0 || g->tsv > 1 || g->at_line < 0)
            return "a file out of place";
        for (int b = 0; b < 2; b++)
            if (g->rules[b] > c->n_rules || g->literals[b] > c->n_literals ||
                g->entities[b] > c->n_entities)
                return "a file's counts out of range";
        *k = (kg_rule_file){.parent = g->parent, .at_line = g->at_line, .source = g->source,
                            .tsv = g->tsv, .digest = g->digest};
        memcpy(k->rules, g->rules, sizeof(g->rules));
        memcpy(k->literals, g->literals, sizeof(g->literals));
        memcpy(k->entities, g->entities, sizeof(g->entities));
        if (g->entry) k->entry = (char *)text_at(img, g->entry - 1, &why);
        if (!g->tsv) { /* its text, NUL-ended where it ends */
            if (g->text_len >= t.size || g->text > t.size - g->text_len - 1 ||
                ((const char *)t.data)[g->text + g->text_len])
                return "a rule file's text out of range";
            k->text = (char *)t.data + g->text;
        }
    }
    return why;
}

/* Point r's tables into the image, checking every offset and index a
 * lookup follows (literal targets that name patterns or lists are checked
 * once the rules are parsed again: see load_image). */
static const char *map_tables(kg_rules *r, const kg_image *img, int32_t *max_pattern,
                              int32_t *max_list) {
    const image_rules *c = img->counts;
    const char *why = NULL;
    const char *names = array_of(img, SEC_NAMES, c->n_names, 1, &why);
    const char *attr_text = array_of(img, SEC_ATTR_TEXT, c->n_attr_text, 1, &why);
    const uint32_t *attrs = array_of(img, SEC_ATTRS, c->n_attrs, sizeof(uint32_t), &why);
    const kg_entity *entities = array_of(img, SEC_ENTITIES, c->n_entities, sizeof(kg_entity), &why);
    const kg_literal *literals = array_of(img, SEC_LITERALS, c->n_literals, sizeof(kg_literal), &why);
    const kg_rule_origin *origins = array_of(img, SEC_ORIGINS, c->n_rules, sizeof(kg_rule_origin), &why);
    const uint64_t *index = array_of(img, SEC_NAME_INDEX, c->name_cap, sizeof(uint64_t), &why);
    if (why) return why;
    if (c->n_names > UINT32_MAX || c->n_attr_text > UINT32_MAX || c->n_entities > INT32_MAX ||
        c->n_literals > INT32_MAX || c->n_rules > INT32_MAX || c->n_attrs > UINT32_MAX ||
        (c->name_cap & (c->name_cap - 1)) || (c->name_cap && c->name_count >= c->name_cap) ||
        c->n_types > INT32_MAX)
        return "its counts are out of range";
    /* every offset in a pool names a NUL-ended string */
    if ((c->n_entities || c->n_literals) && (!c->n_names || names[0] || names[c->n_names - 1]))
        return "its names do not end";
    if (c->n_attrs && (!c->n_attr_text || attr_text[c->n_attr_text - 1])) return "its attributes do not end";
    for (size_t i = 0; i < c->n_attrs; i++)
        if (attrs[i] >= c->n_attr_text) return "an attribute out of range";
    for (size_t e = 0; e < c->n_entities; e++) {
        const kg_entity *x = &entities[e];
        if (x->canonical >= c->n_names || x->type < 0 || (uint64_t)x->type >= c->n_types ||
            x->rule < 0 || (uint64_t)x->rule >= c->n_rules || x->place < -1 ||
            x->place >= (int64_t)c->n_entities || x->n_attrs % 2 ||
            (uint64_t)x->attrs + x->n_attrs > c->n_attrs || x->learned > 1)
            return "an entity out of range";
    }
    *max_pattern = *max_list = -1;
    for (size_t k = 0; k < c->n_literals; k++) {
        const kg_literal *l = &literals[k];
        if (l->text >= c->n_names || l->kind > LIT_STOP || l->weak > 1 || l->alone > 1 ||
            l->learned > 1 || l->word > 1 || l->origin.file < 0 ||
            (uint64_t)l->origin.file >= c->n_files || l->target < 0 ||
            (l->kind == LIT_ALIAS && (uint64_t)l->target >= c->n_entities))
            return "a literal out of range";
        if (l->kind == LIT_SUFFIX && l->target > *max_pattern) *max_pattern = l->target;
        if (l->kind == LIT_BOUNDARY && l->target > *max_list) *max_list = l->target;
    }
    for (size_t i = 0; i < c->n_rules; i++)
        if (origins[i].file < 0 || (uint64_t)origins[i].file >= c->n_files)
            return "a rule's file out of range";
    /* the name index's slots are checked where they are read (rules.c) */
    r->names = (char *)names;
    r->n_names = c->n_names;
    r->attr_text = (char *)attr_text;
    r->n_attr_text = c->n_attr_text;
    r->attrs = (uint32_t *)attrs;
    r->n_attrs = c->n_attrs;
    r->entities = (kg_entity *)entities;
    r->n_entities = c->n_entities;
    r->literals = (kg_literal *)literals;
    r->n_literals = c->n_literals;
    r->origins = (kg_rule_origin *)origins;
    r->n_rules = c->n_rules;
    r->name_index = (uint64_t *)index;
    r->name_cap = c->name_cap;
    r->name_count = c->name_count;
    r->tables_mapped = 1;
    return NULL;
}

/* ---- the rule set's sources as they are now ------------------------------------ */

/* A file a source stands for: the source itself, or an entry of it. */
typedef struct set_file {
    size_t source;
    char *entry; /* its name in the source's folder, or NULL */
    int tsv;
    uint64_t digest;
} set_file;

typedef struct set_listing {
    set_file *files;
    size_t n, cap;
    uint64_t key, bytes;
} set_listing;

static void listing_free(set_listing *l) {
    for (size_t i = 0; i < l->n; i++) free(l->files[i].entry);
    free(l->files);
}

/* Add the file at path (of source, as entry) to the listing; 0, or -1 if
 * it cannot be read as a file or is itself a compiled form. */
static int list_file(set_listing *l, size_t source, const char *path, const char *entry) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || kg_is_compiled(path)) return -1;
    uint64_t digest = kg_digest("", 0);
    if (st.st_size > 0) {
        kg_mapping map;
        if (kg_map_file(path, &map) < 0) return -1;
        digest = kg_digest(map.data, map.size);
        kg_unmap(&map);
    }
    GROW(l->files, l->cap, l->n + 1);
    l->files[l->n++] = (set_file){source, entry ? xstrdup(entry) : NULL,
                                  kg_has_suffix(path, ".tsv"), digest};
    l->bytes += (uint64_t)st.st_size;
    return 0;
}

/* The files the sources stand for now (a folder: the files kg_rules_load
 * takes from it, in its order) and the key they make. -1 when a source
 * cannot be digested (unreadable, a pipe, compiled already). */
static int list_sources(const char *const *sources, size_t n, set_listing *l) {
    *l = (set_listing){0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        if (stat(sources[i], &st) != 0) rc = -1;
        else if (!S_ISDIR(st.st_mode)) rc = list_file(l, i, sources[i], NULL);
        else {
            char **names;
            size_t count;
            kg_error ignored;
            if (kg_list_dir(sources[i], &names, &count, &ignored) < 0) return -1;
            for (size_t k = 0; rc == 0 && k < count; k++) {
                if (!kg_has_suffix(names[k], ".rules") && !kg_has_suffix(names[k], ".tsv")) continue;
                char *full = xmalloc(strlen(sources[i]) + strlen(names[k]) + 2);
                sprintf(full, "%s/%s", sources[i], names[k]);
                rc = list_file(l, i, full, names[k]);
                free(full);
            }
            kg_free_list(names, count);
        }
    }
    kg_buf text = {0};
    kg_buf_addf(&text, "kgraph %s rule set, format %d\n", KGRAPH_VERSION, KG_COMPILED_VERSION);
    for (size_t i = 0, f = 0; i < n; i++) {
        kg_buf_adds(&text, "source\n");
        for (; f < l->n && l->files[f].source == i; f++)
            kg_buf_addf(&text, "%s %s %d %016llx\n", l->files[f].entry ? "entry" : "file",
                        l->files[f].entry ? l->files[f].entry : "-", l->files[f].tsv,
                        (unsigned long long)l->files[f].digest);
    }
    l->key = kg_digest(text.data, text.len);
    kg_buf_free(&text);
    return rc;
}

int kg_rule_set_key(const char *const *sources, size_t n, uint64_t *key, uint64_t *bytes) {
    set_listing l;
    int rc = list_sources(sources, n, &l);
    *key = l.key;
    *bytes = l.bytes;
    listing_free(&l);
    return rc;
}

/* Are the files the form loaded from its sources there now, the same? (Its
 * key says the sources hold what they held; this ties each of its files
 * to one of them: names, kinds, contents.) */
static const char *check_sources(const kg_image *img, const set_listing *l) {
    for (size_t k = 0; k < img->counts->n_files; k++) {
        const kg_rule_file *f = &img->files[k];
        if (f->parent >= 0) continue; /* an included file: checked when it is loaded again */
        size_t i = 0;
        while (i < l->n && !(l->files[i].source == (size_t)f->source &&
                             (f->entry && l->files[i].entry ? strcmp(f->entry, l->files[i].entry) == 0
                                                            : !f->entry && !l->files[i].entry)))
            i++;
        if (i == l->n || l->files[i].tsv != f->tsv || l->files[i].digest != f->digest)
            return "a source is not what it was";
    }
    return NULL;
}

/* Load image into r, which holds nothing yet; r owns image from now on.
 * With now, the sources given now (a cache's: its files must be theirs,
 * those it includes are looked at on disk), else those it was compiled
 * from. 0; 1 with *why when the image is no good; -1 with err when a rule
 * file fails as it would parsed (its lexicon is gone …). */
static int load_image(kg_rules *r, kg_image *img, const char *const *sources, size_t n_sources,
                      const set_listing *now, const char **why, kg_error *err) {
    r->image = img;
    *why = NULL;
    img->counts = array_of(img, SEC_RULES, 1, sizeof(image_rules), why);
    if (*why) return 1;
    const image_rules *c = img->counts;
    if ((*why = read_files(img))) return 1;
    if (now && n_sources != c->n_sources) *why = "compiled from another number of sources";
    if (*why || (now && (*why = check_sources(img, now)))) return 1;
    int32_t max_pattern, max_list;
    if ((*why = map_tables(r, img, &max_pattern, &max_list))) return 1;
    const uint64_t *types = array_of(img, SEC_TYPES, c->n_types, sizeof(uint64_t), why);
    if (*why) return 1;
    r->types = xcalloc(c->n_types ? c->n_types : 1, sizeof(*r->types));
    r->cap_types = c->n_types;
    for (size_t t = 0; t < c->n_types; t++) {
        const char *name = text_at(img, types[t], why);
        if (*why) return 1;
        r->types[r->n_types++] = (struct kg_type){.name = xstrdup(name)};
    }
    kg_replay replay = {.files = img->files, .n_files = c->n_files, .check_disk = now != NULL};
    int rc = kg_rules_replay(r, &replay, now ? sources : img->sources, c->n_sources, err);
    if (replay.broken) *why = replay.broken;
    else if (rc < 0) return -1;
    else if (r->n_types != c->n_types) *why = "its types differ from its rules'";
    else if (max_pattern >= (int32_t)r->n_patterns || max_list >= (int32_t)r->n_lists)
        *why = "a literal names a rule that is not there";
    else img->matcher = kg_matcher_from_image(r, img, why);
    return *why ? 1 : 0;
}

int kg_rules_load_image(kg_rules *r, const char *path, kg_error *err) {
    kg_image *img;
    const char *why = open_image(path, &img);
    int rc = why ? 1 : load_image(r, img, NULL, 0, NULL, &why, err);
    if (rc > 0) kg_error_set(err, "%s: not a usable compiled rule set: %s", path, why);
    return rc ? -1 : 0;
}

kg_matcher *kg_image_matcher(const kg_rules *r) {
    if (!r->image || !r->tables_mapped) return NULL;
    kg_matcher *m = r->image->matcher;
    const char *why;
    r->image->matcher = NULL; /* handed over: a second matcher maps its own */
    return m ? m : kg_matcher_from_image(r, r->image, &why);
}

/* ---- finding it -------------------------------------------------------------- */

kg_rules *kg_rules_load_set(const char *const *sources, size_t n, kg_error *err) {
    set_listing now;
    int keyed = list_sources(sources, n, &now) == 0;
    uint64_t key = now.key;
    /* where a compiled form may be: beside each source (in a folder
     * source), then the cache folder */
    for (size_t i = 0; keyed && i <= n; i++) {
        char *folder = NULL;
        struct stat st;
        if (i == n) folder = kg_cache_dir();
        else if (stat(sources[i], &st) == 0 && S_ISDIR(st.st_mode)) folder = xstrdup(sources[i]);
        else {
            const char *slash = strrchr(sources[i], '/');
            folder = slash ? xstrndup(sources[i], (size_t)(slash - sources[i]) + 1) : xstrdup(".");
        }
        char *name = folder ? kg_cache_name(folder, "rules", key, KG_COMPILED_VERSION) : NULL;
        free(folder);
        kg_image *img = NULL;
        if (name && !open_image(name, &img) && img->key == key) {
            kg_rules *r = kg_rules_new();
            const char *why;
            kg_error ignored; /* parsing them reports a rule file's error again */
            int rc = load_image(r, img, sources, n, &now, &why, &ignored);
            free(name);
            if (rc == 0) {
                listing_free(&now);
                return r;
            }
            kg_rules_free(r); /* and img: a file that is no good is made again below */
            continue;
        }
        kg_image_free(img);
        free(name);
    }
    kg_rules *r = kg_rules_new();
    for (size_t i = 0; i < n; i++)
        if (kg_rules_load(r, sources[i], err) < 0) {
            kg_rules_free(r);
            listing_free(&now);
            return NULL;
        }
    char *dir = keyed && now.bytes >= CACHE_MIN_BYTES ? kg_cache_dir() : NULL;
    listing_free(&now);
    if (dir) {
        r->cache_to = kg_cache_name(dir, "rules", key, KG_COMPILED_VERSION);
        r->set_key = key;
    }
    free(dir);
    return r;
}

/* Write the form from a process of its own that the run does not wait
 * for: a million names' 300 MB take 0.1 to 0.6 s to write (the kernel's
 * copy, and its writeback throttling), longer than the rest of a small
 * run. The child forks the writer and ends at once, so the run waits only
 * for a fork, and the writer, whose parent is gone, is reaped by init. The
 * writer lets go of the run's standard streams and files (a pipe that
 * reads the run's output ends with the run, not with the writer), and
 * writes through a temporary file renamed into place as ever: a run that
 * comes before it is done parses the rules again. While it writes it holds
 * a shared lock (flock) on the cache folder, taken before this returns:
 * `flock FOLDER true` waits for the forms being written there (the tests
 * do). 0; -1 when no writer could be started. */
static int cache_detached(const kg_rules *r, const kg_matcher *m) {
    const char *slash = strrchr(r->cache_to, '/');
    char *folder = slash ? xstrndup(r->cache_to, (size_t)(slash - r->cache_to) + 1) : xstrdup(".");
    int lock = open(folder, O_RDONLY | O_DIRECTORY);
    free(folder);
    if (lock < 0 || flock(lock, LOCK_SH) < 0) {
        if (lock >= 0) close(lock);
        return -1;
    }
    pid_t child = fork();
    if (child == 0) {
        pid_t writer = fork();
        if (writer != 0) _exit(writer < 0);
        int null = open("/dev/null", O_RDWR);
        for (int fd = 0; fd < 3 && null >= 0; fd++) dup2(null, fd);
        dup2(lock, 3); /* the lock, held until the writer ends */
        close_range(4, ~0u, 0);
        kg_error ignored;
        _exit(kg_rules_write_image(r, m, r->set_key, r->cache_to, &ignored) < 0);
    }
    close(lock);
    int status = 0;
    while (child > 0 && waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void kg_rules_cache(kg_rules *r, const kg_matcher *m, int detach) {
    kg_error ignored;
    if (r->cache_to && !r->altered && (!detach || cache_detached(r, m) < 0))
        kg_rules_write_image(r, m, r->set_key, r->cache_to, &ignored);
    free(r->cache_to);
    r->cache_to = NULL;
}

/* ---- writing it ---------------------------------------------------------------- */

typedef struct image_job {
    const kg_rules *r;
    const kg_matcher *m;
    uint64_t key;
} image_job;

/* Add a NUL-ended string to the text section; its offset. */
static uint64_t add_text(kg_buf *text, const char *s, size_t len) {
    uint64_t at = text->len;
    kg_buf_add(text, s, len);
    kg_buf_addc(text, '\0');
    return at;
}

static int write_image(void *ctx, FILE *out, kg_error *err) {
    const image_job *job = ctx;
    const kg_rules *r = job->r;
    kg_buf text = {0}, ac_header = {0};
    image_rules counts = {r->n_names, r->n_attr_text, r->n_attrs, r->n_entities, r->n_literals,
                          r->n_rules, r->name_cap, r->name_count, r->n_types, r->n_files,
                          (uint64_t)r->n_sources};
    image_file *files = xcalloc(r->n_files ? r->n_files : 1, sizeof(image_file));
    for (size_t i = 0; i < r->n_files; i++) {
        const kg_rule_file *f = &r->files[i];
        image_file *g = &files[i];
        *g = (image_file){.parent = f->parent, .at_line = f->at_line, .source = f->source,
                          .tsv = f->tsv, .digest = f->digest};
        memcpy(g->rules, f->rules, sizeof(f->rules));
        memcpy(g->literals, f->literals, sizeof(f->literals));
        memcpy(g->entities, f->entities, sizeof(f->entities));
        if (f->entry) g->entry = 1 + add_text(&text, f->entry, strlen(f->entry));
        if (!f->tsv) {
            g->text_len = strlen(f->text);
            g->text = add_text(&text, f->text, g->text_len);
        }
    }
    uint64_t *sources = xmalloc(((size_t)r->n_sources + 1) * sizeof(uint64_t));
    for (int i = 0; i < r->n_sources; i++)
        sources[i] = add_text(&text, r->sources[i], strlen(r->sources[i]));
    uint64_t *types = xmalloc((r->n_types + 1) * sizeof(uint64_t));
    for (size_t t = 0; t < r->n_types; t++)
        types[t] = add_text(&text, r->types[t].name, strlen(r->types[t].name));
    if (!text.len) kg_buf_addc(&text, '\0');

    enum kg_section_id ids[SEC_COUNT];
    kg_section secs[SEC_COUNT];
    size_t n = 0;
#define SECTION(id_, data_, size_) (ids[n] = (id_), secs[n++] = (kg_section){(data_), (size_)})
    SECTION(SEC_RULES, &counts, sizeof(counts));
    SECTION(SEC_TEXT, text.data, text.len);
    SECTION(SEC_FILES, files, r->n_files * sizeof(image_file));
    SECTION(SEC_SOURCES, sources, (size_t)r->n_sources * sizeof(uint64_t));
    SECTION(SEC_TYPES, types, r->n_types * sizeof(uint64_t));
    SECTION(SEC_NAMES, r->names, r->n_names);
    SECTION(SEC_ATTR_TEXT, r->attr_text, r->n_attr_text);
    SECTION(SEC_ATTRS, r->attrs, r->n_attrs * sizeof(uint32_t));
    SECTION(SEC_ENTITIES, r->entities, r->n_entities * sizeof(kg_entity));
    SECTION(SEC_LITERALS, r->literals, r->n_literals * sizeof(kg_literal));
    SECTION(SEC_ORIGINS, r->origins, r->n_rules * sizeof(kg_rule_origin));
    SECTION(SEC_NAME_INDEX, r->name_index, r->name_cap * sizeof(uint64_t));
#undef SECTION
    n += kg_matcher_sections(job->m, &ac_header, ids + n, secs + n);

    kg_image_header h = {.version = KG_COMPILED_VERSION, .n_sections = (uint32_t)n, .key = job->key};
    memcpy(h.magic, KG_IMAGE_MAGIC, 8);
    kg_image_section table[SEC_COUNT];
    uint64_t at = sizeof(h) + n * sizeof(kg_image_section);
    for (size_t i = 0; i < n; i++) {
        at = (at + IMAGE_ALIGN - 1) / IMAGE_ALIGN * IMAGE_ALIGN;
        table[i] = (kg_image_section){.id = ids[i], .offset = at, .size = secs[i].size};
        at += secs[i].size;
    }
    h.size = at;
    h.checksum = kg_image_checksum(&h, table);
    static const char zeros[IMAGE_ALIGN];
    fwrite(&h, sizeof(h), 1, out);
    fwrite(table, sizeof(kg_image_section), n, out);
    at = sizeof(h) + n * sizeof(kg_image_section);
    for (size_t i = 0; i < n; i++) {
        fwrite(zeros, 1, table[i].offset - at, out);
        if (secs[i].size) fwrite(secs[i].data, 1, secs[i].size, out);
        at = table[i].offset + secs[i].size;
    }
    kg_buf_free(&text);
    kg_buf_free(&ac_header);
    free(files);
    free(sources);
    free(types);
    return 0; /* a write error is kg_write_to_path's to find */
}

int kg_rules_write_image(const kg_rules *r, const kg_matcher *m, uint64_t key, const char *path,
                         kg_error *err) {
    if (r->altered) {
        kg_error_set(err, "%s: rules that learned short forms or dropped their gazetteer have "
                     "no compiled form", path);
        return -1;
    }
    for (size_t i = 0; i < r->n_files; i++)
        if (r->files[i].source < 0) {
            kg_error_set(err, "%s: rules loaded from a string have no compiled form", path);
            return -1;
        }
    image_job job = {r, m, key};
    return kg_write_to_path(path, write_image, &job, err);
}
