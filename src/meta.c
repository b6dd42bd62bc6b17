/*
 * meta: what is known of a document besides its text: its date, title,
 * source and URL. A sidecar file gives them (--meta FILE: TSV with a header
 * line, or JSON Lines, keyed by file name); without one, a document's date
 * is the one it states in its head (发布时间：2011-03-29, 2021年3月5日).
 *
 * Dates are numbers YYYYMMDD, the month and day 00 where unknown, so that
 * they compare as dates do and a year or a month is a date too.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- dates ------------------------------------------------------------------ */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Digits at s (at most max of them) as a number; *n how many there were. */
static int digits(const char *s, int max, int *n) {
    int v = 0;
    for (*n = 0; *n < max && s[*n] >= '0' && s[*n] <= '9'; (*n)++) v = v * 10 + (s[*n] - '0');
    return v;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The 年 月 日 号 of Chinese dates, in UTF-8. */
#define YEAR_ZH "\xE5\xB9\xB4"
#define MONTH_ZH "\xE6\x9C\x88"
#define DAY_ZH "\xE6\x97\xA5"
#define DAY_ZH2 "\xE5\x8F\xB7"
static int word_at(const char *s, const char *word) { return strncmp(s, word, 3) == 0; }

/* A month (or a day: max) of one or two digits at s, not followed by a
 * digit: its value, or 0; *n its digits. */
static int part_at(const char *s, int max, int *n) {
    int v = digits(s, 2, n);
    return *n && v >= 1 && v <= max && !is_digit(s[*n]) ? v : 0;
}

/* Parse a date at the start of s (2021-03-05, 2021/3/5, 2021.03.05,
 * 2021年3月5日, 2021-03, 2021年3月, 2021年, 2021): the characters read (0:
 * none), the date in *out. With day_only, a date without its day is none. */
static size_t parse_at(const char *s, int day_only, kg_date *out) {
    int n, y = digits(s, 4, &n), m = 0, d = 0;
    if (n != 4 || is_digit(s[4]) || y < 1000) return 0;
    const char *p = s + 4;
    if (word_at(p, YEAR_ZH)) {
        p += 3;
        if ((m = part_at(p, 12, &n)) && word_at(p + n, MONTH_ZH)) {
            p += n + 3;
            if ((d = part_at(p, days_in(y, m), &n)) && (word_at(p + n, DAY_ZH) || word_at(p + n, DAY_ZH2)))
                p += n + 3;
            else
                d = 0;
        } else {
            m = 0;
        }
    } else if (*p == '-' || *p == '/' || *p == '.') {
        char sep = *p;
        if ((m = part_at(p + 1, 12, &n))) {
            p += 1 + n;
            if (*p == sep && (d = part_at(p + 1, days_in(y, m), &n))) p += 1 + n;
        }
    }
    if (day_only && !d) return 0;
    *out = y * 10000 + m * 100 + d;
    return (size_t)(p - s);
}

int kg_date_parse(const char *text, kg_date *out) {
    kg_date d;
    size_t n = parse_at(text, 0, &d);
    if (!n) return -1;
    /* a time of day may follow: 2021-03-05 10:00, 2021-03-05T10:00:00Z */
    char next = text[n];
    if (next && next != ' ' && next != 'T') return -1;
    *out = d;
    return 0;
}

void kg_date_format(kg_date d, char *out) {
    unsigned v = d > 0 ? (unsigned)d : 0, y = v / 10000 % 10000, m = v / 100 % 100, day = v % 100;
    if (day) snprintf(out, KG_DATE_CHARS, "%04u-%02u-%02u", y, m, day);
    else if (m) snprintf(out, KG_DATE_CHARS, "%04u-%02u", y, m);
    else snprintf(out, KG_DATE_CHARS, "%04u", y);
}

void kg_date_span(kg_date d, kg_date *first_day, kg_date *last_day) {
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    *first_day = y * 10000 + (m ? m : 1) * 100 + (day ? day : 1);
    *last_day = y * 10000 + (m ? m : 12) * 100 + (day ? day : days_in(y, m ? m : 12));
}

/* The head a document states its date in: its first lines. */
enum { HEAD_CHARS = 300, HEAD_PARAGRAPHS = 6 };

kg_date kg_doc_stated_date(const kg_doc *doc) {
    char *utf8 = NULL;
    size_t len = 0, cap = 0, end = 0;
    int paragraphs = 0;
    while (end < doc->len && end < HEAD_CHARS) {
        if ((doc->mark[end] & KG_PARAGRAPH_START) && ++paragraphs > HEAD_PARAGRAPHS) break;
        end++;
    }
    kg_doc_utf8(doc, 0, end, &utf8, &len, &cap);
    kg_date found = 0;
    for (size_t i = 0; i < len && !found; i++)
        if ((i == 0 || utf8[i - 1] < '0' || utf8[i - 1] > '9') && parse_at(utf8 + i, 1, &found) == 0)
            found = 0;
    free(utf8);
    return found;
}

/* ---- the sidecar -------------------------------------------------------------- */

struct kg_meta {
    kg_doc_meta *docs;
    size_t n_docs, cap_docs;
    kg_strmap by_name; /* file name as written -> index */
    kg_arena text;
};

/* Files of more than this are no metadata table. */
#define META_MAX_BYTES ((size_t)1 << 30)

static int meta_error(kg_error *err, const char *path, size_t line, const char *what,
                      const char *value) {
    kg_error_set(err, "%s:%zu: %s%s%s%s", path, line, what, value ? " '" : "", value ? value : "",
                 value ? "'" : "");
    return -1;
}

/* Add one document's entry; the strings are copied. */
static int add_entry(kg_meta *m, const char *path, size_t line, const char *file,
                     const char *date, const char *title, const char *source, const char *url,
                     kg_error *err) {
    if (!file || !*file) return meta_error(err, path, line, "no file name", NULL);
    kg_doc_meta e = {0};
    if (date && *date && kg_date_parse(date, &e.date) != 0)
        return meta_error(err, path, line,
                          "not a date (2021-03-05, 2021/3/5, 2021年3月5日, 2021-03 or 2021):", date);
    e.title = title && *title ? kg_arena_copy(&m->text, title, strlen(title)) : NULL;
    e.source = source && *source ? kg_arena_copy(&m->text, source, strlen(source)) : NULL;
    e.url = url && *url ? kg_arena_copy(&m->text, url, strlen(url)) : NULL;
    if (kg_strmap_put(&m->by_name, file, strlen(file), (int)m->n_docs) != (int)m->n_docs)
        return meta_error(err, path, line, "a second entry for", file);
    GROW(m->docs, m->cap_docs, m->n_docs + 1);
    m->docs[m->n_docs++] = e;
    return 0;
}

/* The columns a TSV header may name; others are left alone. */
enum { COL_FILE, COL_DATE, COL_TITLE, COL_SOURCE, COL_URL, N_COLS };
static const char *const column_names[N_COLS] = {"file", "date", "title", "source", "url"};

/* Split line at tabs into at most max fields (the line is changed). */
static size_t split_tabs(char *line, char **fields, size_t max) {
    size_t n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

enum { MAX_COLUMNS = 64 };

/* The next line of [*p, end), NUL-terminated in place (a CR before its LF
 * dropped); NULL at the end. */
static char *next_line(char **p, char *end) {
    if (*p >= end) return NULL;
    char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    char *stop = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    if (stop > line && stop[-1] == '\r') stop--;
    *stop = '\0';
    return line;
}

static int read_tsv(kg_meta *m, const char *path, char *data, size_t len, kg_error *err) {
    int at[N_COLS];
    for (int c = 0; c < N_COLS; c++) at[c] = -1;
    char *p = data, *end = data + len, *line;
    size_t line_no = 0;
    int have_header = 0;
    while ((line = next_line(&p, end))) {
        line_no++;
        if (!*line) continue;
        char *fields[MAX_COLUMNS];
        size_t n = split_tabs(line, fields, MAX_COLUMNS);
        if (!have_header) {
            for (size_t k = 0; k < n; k++)
                for (int c = 0; c < N_COLS; c++)
                    if (strcmp(fields[k], column_names[c]) == 0) at[c] = (int)k;
            if (at[COL_FILE] < 0)
                return meta_error(err, path, line_no,
                                  "the header names no 'file' column (file, date, title, "
                                  "source, url)",
                                  NULL);
            have_header = 1;
            continue;
        }
        const char *v[N_COLS];
        for (int c = 0; c < N_COLS; c++) v[c] = at[c] >= 0 && (size_t)at[c] < n ? fields[at[c]] : NULL;
        if (add_entry(m, path, line_no, v[COL_FILE], v[COL_DATE], v[COL_TITLE], v[COL_SOURCE],
                      v[COL_URL], err) < 0)
            return -1;
    }
    return 0;
}

/* A string member of a JSON object, NULL if absent; -1 if not a string. */
static int json_string(const cJSON *obj, const char *name, const char **out) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = NULL;
    if (!item || cJSON_IsNull(item)) return 0;
    if (!cJSON_IsString(item)) return -1;
    *out = item->valuestring;
    return 0;
}

static int read_jsonl(kg_meta *m, const char *path, char *data, size_t len, kg_error *err) {
    char *p = data, *end = data + len, *line;
    size_t line_no = 0;
    while ((line = next_line(&p, end))) {
        line_no++;
        if (!*line || strspn(line, " \t") == strlen(line)) continue;
        cJSON *obj = cJSON_Parse(line);
        if (!obj || !cJSON_IsObject(obj)) {
            cJSON_Delete(obj);
            return meta_error(err, path, line_no, "not a JSON object", NULL);
        }
        const char *v[N_COLS];
        int bad = -1;
        for (int c = 0; c < N_COLS && bad < 0; c++)
            if (json_string(obj, column_names[c], &v[c]) < 0) bad = c;
        int rc = bad >= 0 ? meta_error(err, path, line_no, "not a string:", column_names[bad])
                          : add_entry(m, path, line_no, v[COL_FILE], v[COL_DATE], v[COL_TITLE],
                                      v[COL_SOURCE], v[COL_URL], err);
        cJSON_Delete(obj);
        if (rc < 0) return -1;
    }
    return 0;
}

kg_meta *kg_meta_read(const char *path, kg_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *data;
    size_t len;
    int rc = kg_read_all(f, META_MAX_BYTES, &data, &len);
    int saved = errno;
    fclose(f);
    if (rc < 0) {
        kg_error_set(err, "%s: %s", path, saved == EFBIG ? "larger than 1 GiB" : strerror(saved));
        return NULL;
    }
    if (memchr(data, '\0', len)) {
        free(data);
        kg_error_set(err, "%s: a binary file, not a metadata table", path);
        return NULL;
    }
    kg_meta *m = xcalloc(1, sizeof(*m));
    size_t lead = strspn(data, " \t\r\n");
    rc = lead < len && data[lead] == '{' ? read_jsonl(m, path, data, len, err)
                                         : read_tsv(m, path, data, len, err);
    free(data);
    if (rc < 0) {
        kg_meta_free(m);
        return NULL;
    }
    return m;
}

const kg_doc_meta *kg_meta_find(const kg_meta *m, const char *doc_name) {
    if (!m) return NULL;
    int i = kg_strmap_get(&m->by_name, doc_name, strlen(doc_name));
    if (i < 0) { /* the file name alone: a table made in the corpus folder */
        const char *slash = strrchr(doc_name, '/');
        if (slash) i = kg_strmap_get(&m->by_name, slash + 1, strlen(slash + 1));
    }
    return i < 0 ? NULL : &m->docs[i];
}

size_t kg_meta_count(const kg_meta *m) { return m ? m->n_docs : 0; }

void kg_meta_free(kg_meta *m) {
    if (!m) return;
    free(m->docs);
    kg_strmap_free(&m->by_name);
    kg_arena_free(&m->text);
    free(m);
}
