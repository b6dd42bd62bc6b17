/*
 * tests/unit_harness.c: the runner of tests/unit (tests/unit.h says how the
 * tests are laid out and how to add a module), what a failure reports, the
 * temporary folder and files, documents, rules and mentions as text, and
 * the drivers of the cases written as data in tests/data/.
 */
#include "unit.h"

#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>

/* ---- reporting ----------------------------------------------------------- */

static FILE *report;   /* child side: failure details go here */
static int n_failures; /* in this test */

void failure(const char *file, int line, const char *fmt, ...) {
    char msg[1500];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    n_failures++;
    if (n_failures <= 4) fprintf(report, "%s%s:%d: %s", n_failures > 1 ? "; " : "", file, line, msg);
    else if (n_failures == 5) fprintf(report, "; …");
    fflush(report);
}

/* ---- the temporary folder, files ----------------------------------------- */

static char tmp_base[PATH_MAX]; /* made by main, removed at the end */
static char tmp_root[PATH_MAX + 32]; /* this test's, inside tmp_base */

/* A fresh temporary folder for this test. */
static const char *tmp_dir(void) {
    if (!*tmp_root) {
        snprintf(tmp_root, sizeof(tmp_root), "%s/test.XXXXXX", tmp_base);
        if (!mkdtemp(tmp_root)) {
            fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
            exit(2);
        }
    }
    return tmp_root;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) {
    if (*path) nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Path inside the temporary folder (a few static buffers in rotation). */
const char *tmp_path(const char *name) {
    static char bufs[32][2 * PATH_MAX];
    static int next;
    char *b = bufs[next++ % 32];
    snprintf(b, sizeof(bufs[0]), "%s/%s", tmp_dir(), name);
    return b;
}

void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

void write_text(const char *path, const char *text) { write_file(path, text, strlen(text)); }

char *read_whole(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

void make_dir(const char *path) {
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mkdir %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

int exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of entries in a folder, hidden ones included. */
int dir_entries(const char *path) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", path);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Does msg hold "WORD N" with N exactly this number (not a longer one)? */
int names_number(const char *msg, const char *word, long n) {
    char want[64];
    snprintf(want, sizeof(want), "%s%ld", word, n);
    for (const char *p = strstr(msg, want); p; p = strstr(p + 1, want)) {
        char after = p[strlen(want)];
        if (after < '0' || after > '9') return 1;
    }
    return 0;
}

/* ---- documents, rules, mentions ------------------------------------------ */

kg_doc *doc_of(const char *text) {
    kg_error err = {{0}};
    kg_doc *d = kg_doc_from_bytes("t.txt", text, strlen(text), &err);
    if (!d) failure(__FILE__, __LINE__, "kg_doc_from_bytes failed: %s", err.message);
    return d;
}

/* UTF-8 of doc->text[start, end) (a few static buffers in rotation). */
const char *text_of(const kg_doc *d, size_t start, size_t end) {
    static char *bufs[8];
    static size_t caps[8];
    static int next;
    int k = next++ % 8;
    size_t len = 0;
    if (!bufs[k]) bufs[k] = calloc(1, caps[k] = 16);
    bufs[k][0] = 0;
    kg_doc_utf8(d, start, end, &bufs[k], &len, &caps[k]);
    return bufs[k];
}

kg_rules *rules_of(const char *file, int line, const char *name, const char *text) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    if (kg_rules_load_string(r, name, text, &err) < 0) {
        failure(file, line, "rules do not load: %s", err.message);
        kg_rules_free(r);
        return NULL;
    }
    return r;
}

kg_rules *rules_from_file(const char *file, int line, const char *path) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    if (kg_rules_load(r, path, &err) < 0) {
        failure(file, line, "rules do not load: %s", err.message);
        kg_rules_free(r);
        return NULL;
    }
    return r;
}
/* The mentions of text under rules, as "surface/type" (names found by
 * patterns or quoted rules) or "surface=canonical/type" (gazetteer, and
 * short forms: the full name they stand for), then "<parent" for a branch
 * or unit (kg_mention's parent), joined by " | ". Also checks that mentions are in order and disjoint. */
char *mentions_of(const kg_rules *r, const char *text) {
    static char out[8192];
    out[0] = 0;
    if (!r) return strcpy(out, "(no rules)");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    if (!m) return snprintf(out, sizeof(out), "(no matcher: %s)", err.message), out;
    kg_doc *d = doc_of(text);
    if (!d) {
        kg_matcher_free(m);
        return strcpy(out, "(no doc)");
    }
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    size_t len = 0;
    uint32_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (ms[i].start < last_end || ms[i].start >= ms[i].end || ms[i].end > d->len)
            failure(__FILE__, __LINE__, "mention %zu [%u,%u) out of order or empty", i,
                    ms[i].start, ms[i].end);
        last_end = ms[i].end;
        const char *surface = text_of(d, ms[i].start, ms[i].end);
        const char *type = kg_rules_type_name(r, ms[i].type);
        if (ms[i].entity >= 0)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s/%s", i ? " | " : "",
                                    surface, kg_rules_entity_name(r, (size_t)ms[i].entity), type);
        else if (ms[i].name_start != ms[i].start || ms[i].name_end != ms[i].end)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s/%s", i ? " | " : "",
                                    surface, text_of(d, ms[i].name_start, ms[i].name_end), type);
        else
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s/%s", i ? " | " : "",
                                    surface, type);
        if (len < sizeof(out) && ms[i].parent >= 0)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "<%s",
                                    kg_rules_entity_name(r, (size_t)ms[i].parent));
        else if (len < sizeof(out) && ms[i].parent_end)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "<%s",
                                    text_of(d, ms[i].name_start, ms[i].parent_end));
        if (len >= sizeof(out)) break;
    }
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    return out;
}

/* ---- cases as data ------------------------------------------------------- */

/* Cases written as data: each line of path but comments and blank ones is
 * INPUT<TAB>EXPECTED, and answer(INPUT, ctx) must give EXPECTED; at least
 * min_cases of them. */
void check_cases(const char *path, int min_cases, const char *(*answer)(const char *, void *),
                        void *ctx) {
    FILE *f = fopen(path, "r");
    CHECKF(f != NULL, "%s: %s", path, strerror(errno));
    char line[4096];
    int lineno = 0, cases = 0;
    while (f && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            failure(path, lineno, "no tab");
            continue;
        }
        *tab = 0;
        const char *got = answer(line, ctx);
        if (strcmp(got, tab + 1) != 0)
            failure(path, lineno, "%s\n  gives    %s\n  expected %s", line, got, tab + 1);
        cases++;
    }
    if (f) fclose(f);
    CHECKF(cases >= min_cases, "only %d cases in %s", cases, path);
}

/* In place: \n, \r, \t, \\ and \xHH as the characters they stand for. */
static void unescape(char *s) {
    char *to = s;
    for (const char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *to++ = *p;
            continue;
        }
        switch (*++p) {
        case 'n': *to++ = '\n'; break;
        case 'r': *to++ = '\r'; break;
        case 't': *to++ = '\t'; break;
        case 'x': {
            unsigned v;
            int used = 0;
            if (sscanf(p + 1, "%2x%n", &v, &used) == 1 && used == 2) {
                *to++ = (char)v;
                p += 2;
            } else {
                *to++ = '\\';
                *to++ = 'x';
            }
            break;
        }
        default: *to++ = *p; break; /* \\ and anything else: the character */
        }
    }
    *to = 0;
}

void check_table(const char *path, int n_fields, int min_cases,
                 void (*visit)(char **fields, const char *path, int line, void *ctx), void *ctx) {
    FILE *f = fopen(path, "r");
    if (!f) {
        failure(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
        return;
    }
    char *line = NULL, *fields[8];
    size_t cap = 0;
    int lineno = 0, cases = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        int n = 0;
        for (char *p = line, *tab; n < 8; p = tab + 1) {
            fields[n++] = p;
            if (!(tab = strchr(p, '\t'))) break;
            *tab = 0;
        }
        if (n != n_fields) {
            failure(path, lineno, "%d fields, expected %d", n, n_fields);
            continue;
        }
        for (int k = 0; k < n; k++) unescape(fields[k]);
        visit(fields, path, lineno, ctx);
        cases++;
    }
    free(line);
    fclose(f);
    CHECKF(cases >= min_cases, "only %d cases in %s", cases, path);
}

/* A cases file of the matcher (tests/data/match/cases.txt says how it
 * reads): the section of one test, with the rules its blocks load. */
typedef struct match_cases {
    const char *path;
    char dir[PATH_MAX];  /* where the blocks' files are named from */
    kg_rules *rules;     /* NULL: broken (reported once) */
    int used;            /* a case ran under these rules: a block starts new ones */
    kg_buf block;        /* the open block's text */
    char block_name[256];
    int block_line;
} match_cases;

static void load_block(match_cases *mc) {
    if (mc->used || !mc->rules) {
        kg_rules_free(mc->rules);
        mc->rules = kg_rules_new();
        mc->used = 0;
    }
    char name[PATH_MAX + 256];
    snprintf(name, sizeof(name), "%s/%s", mc->dir, mc->block_name);
    kg_error err = {{0}};
    if (kg_rules_load_string(mc->rules, name, mc->block.data ? mc->block.data : "", &err) < 0) {
        failure(mc->path, mc->block_line, "rules do not load: %s", err.message);
        kg_rules_free(mc->rules);
        mc->rules = NULL;
    }
}

void check_match_cases(const char *path, const char *test) {
    FILE *f = fopen(path, "r");
    if (!f) {
        failure(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
        return;
    }
    match_cases mc = {.path = path};
    snprintf(mc.dir, sizeof(mc.dir), "%s", path);
    char *slash = strrchr(mc.dir, '/');
    if (slash) *slash = 0;
    else strcpy(mc.dir, ".");
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, in_block = 0, mine = 0, sections = 0, cases = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (in_block) {
            if (strcmp(line, "```") == 0) {
                in_block = 0;
                if (mine) load_block(&mc);
            } else if (mine) {
                kg_buf_adds(&mc.block, line);
                kg_buf_adds(&mc.block, "\n");
            }
            continue;
        }
        if (!line[0] || line[0] == '#') continue;
        if (starts_with(line, "== ")) {
            const char *name = line + 3;
            if (!unit_has_test(name)) failure(path, lineno, "no test is named %s", name);
            mine = strcmp(name, test) == 0;
            sections += mine;
            kg_rules_free(mc.rules);
            mc.rules = mine ? kg_rules_new() : NULL;
            mc.used = 0;
            continue;
        }
        if (starts_with(line, "```")) {
            in_block = 1;
            mc.block.len = 0;
            if (mc.block.data) mc.block.data[0] = 0;
            mc.block_line = lineno;
            snprintf(mc.block_name, sizeof(mc.block_name), "%s", line + 3 + strspn(line + 3, " "));
            if (!mc.block_name[0]) failure(path, lineno, "the block names no file");
            continue;
        }
        if (!mine) continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            failure(path, lineno, "no tab between the text and its mentions");
            continue;
        }
        *tab = 0;
        unescape(line);
        unescape(tab + 1);
        cases++;
        mc.used = 1;
        if (!mc.rules) continue; /* their block failed: reported */
        const char *got = mentions_of(mc.rules, line);
        if (strcmp(got, tab + 1) != 0)
            failure(path, lineno, "%s\n  gives    %s\n  expected %s", line, got, tab + 1);
    }
    if (in_block) failure(path, mc.block_line, "the block is not closed");
    CHECKF(sections == 1, "%s: %d sections named %s", path, sections, test);
    CHECKF(sections != 1 || cases > 0, "%s: no cases for %s", path, test);
    kg_rules_free(mc.rules);
    kg_buf_free(&mc.block);
    free(line);
    fclose(f);
}
/* ---- the runner ---------------------------------------------------------- */

/* The modules, as UNIT_MODULE registered them before main. */
typedef struct unit_module {
    const char *name;
    const unit_test *tests;
    size_t n;
} unit_module;

static unit_module modules[64];
static size_t n_modules;

void unit_register(const char *module, const unit_test *tests, size_t n) {
    if (n_modules == sizeof(modules) / sizeof(*modules)) {
        fprintf(stderr, "unit: more than %zu modules: make modules[] longer\n", n_modules);
        exit(2);
    }
    modules[n_modules++] = (unit_module){module, tests, n};
}

int unit_has_test(const char *name) {
    for (size_t m = 0; m < n_modules; m++)
        for (size_t i = 0; i < modules[m].n; i++)
            if (strcmp(modules[m].tests[i].name, name) == 0) return 1;
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const unit_module *)a)->name, ((const unit_module *)b)->name);
}

/* Sort the modules by name; a name two tests share is an error, since
 * "tests/unit NAME" must mean one test. */
static void check_names(void) {
    qsort(modules, n_modules, sizeof(*modules), by_name);
    for (size_t m = 0; m < n_modules; m++)
        for (size_t i = 0; i < modules[m].n; i++) {
            const char *name = modules[m].tests[i].name;
            for (size_t m2 = 0; m2 <= m; m2++) {
                for (size_t j = 0; j < (m2 == m ? i : modules[m2].n); j++)
                    if (strcmp(modules[m2].tests[j].name, name) == 0) {
                        fprintf(stderr, "unit: a test of %s and one of %s are both named %s\n",
                                modules[m2].name, modules[m].name, name);
                        exit(2);
                    }
            }
        }
}

/* The parent, stopped early: remove the temporary folders, then die of
 * the same signal. */
static void on_signal(int sig) {
    rm_tree(tmp_base);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Run one test in a child; returns 1 if it passed, printing its line. */
static int run_test(const unit_test *t) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(2);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        close(fds[0]);
        report = fdopen(fds[1], "w");
        alarm(20);
        t->fn();
        fflush(report);
        exit(n_failures ? 1 : 0);
    }
    close(fds[1]);
    char detail[4096];
    size_t len = 0;
    ssize_t got;
    char drain[512];
    while ((got = read(fds[0], len < sizeof(detail) - 1 ? detail + len : drain,
                       len < sizeof(detail) - 1 ? sizeof(detail) - 1 - len : sizeof(drain))) > 0)
        if (len < sizeof(detail) - 1) len += (size_t)got;
    close(fds[0]);
    detail[len] = 0;
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && len == 0) {
        printf("ok %s\n", t->name);
        return 1;
    }
    if (WIFSIGNALED(status))
        printf("FAIL %s: %s%scrashed (%s)\n", t->name, detail, len ? "; then " : "",
               WTERMSIG(status) == SIGALRM ? "timed out after 20 s" : strsignal(WTERMSIG(status)));
    else printf("FAIL %s: %s\n", t->name, len ? detail : "failed");
    return 0;
}

int main(int argc, char **argv) {
    /* Work from the project root, wherever we were started: it is the
     * folder above this binary's. */
    if (access("tests/data", F_OK) != 0) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n > 0) {
            exe[n] = 0;
            char *slash = strrchr(exe, '/');
            if (slash) *slash = 0;
            strncat(exe, "/..", sizeof(exe) - strlen(exe) - 1);
            if (chdir(exe) != 0) perror(exe);
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_names();
    /* --list: each test with its module; else the names asked for must
     * each be a test or a module (a test's name wins: the module
     * render_dot holds a test render_dot) */
    if (argc == 2 && (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "-l") == 0)) {
        for (size_t m = 0; m < n_modules; m++)
            for (size_t i = 0; i < modules[m].n; i++) printf("%s %s\n", modules[m].name, modules[m].tests[i].name);
        return 0;
    }
    for (int a = 1; a < argc; a++) {
        int known = unit_has_test(argv[a]);
        for (size_t m = 0; m < n_modules; m++) known |= strcmp(argv[a], modules[m].name) == 0;
        if (!known) {
            fprintf(stderr, "unit: no test or module is named '%s' (tests/unit --list)\n", argv[a]);
            return 2;
        }
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(tmp_base, sizeof(tmp_base), "%s/kgraph-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmp_base)) {
        perror(tmp_base);
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, on_signal);
    int passed = 0, failed = 0;
    for (size_t m = 0; m < n_modules; m++)
        for (size_t i = 0; i < modules[m].n; i++) {
            const unit_test *t = &modules[m].tests[i];
            int wanted = argc < 2;
            for (int a = 1; a < argc; a++)
                if (strcmp(argv[a], t->name) == 0 ||
                    (strcmp(argv[a], modules[m].name) == 0 && !unit_has_test(argv[a])))
                    wanted = 1;
            if (!wanted) continue;
            if (run_test(t)) passed++;
            else failed++;
        }
    rm_tree(tmp_base);
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
