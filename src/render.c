/*
 * render: choose a renderer, and write its output so that a failure never
 * leaves a half-written file: render into a temporary file in the same
 * folder, then rename it over the target (atomic on POSIX file systems).
 * A format of two files (CSV's nodes and edges tables) writes both
 * temporary files first and renames them only when both are complete, so
 * a failed run never leaves a new table beside an old one. Devices and
 * pipes are the exception: they are written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"

/* The longest temporary file name (a file system's NAME_MAX). */
enum { MAX_TEMP_NAME = 255 };

/* Every format: its name and renderer. A new format is a render_*.c file
 * and a line here. */
static const struct format {
    const char *name;
    kg_renderer *render;
    int picture;          /* laid out by Graphviz */
    const char *parts[2]; /* a format of two files: their names' middles
                             (graph.nodes.csv, graph.edges.csv) */
    const char *ext;      /* a two-file format's extension, when not its name */
} formats[KG_N_FORMATS] = {
    [KG_FORMAT_DOT] = {"dot", kg_render_dot, 0, {NULL}, NULL},
    [KG_FORMAT_SVG] = {"svg", kg_render_svg, 1, {NULL}, NULL},
    [KG_FORMAT_PNG] = {"png", kg_render_png, 1, {NULL}, NULL},
    [KG_FORMAT_PDF] = {"pdf", kg_render_pdf, 1, {NULL}, NULL},
    [KG_FORMAT_JSON] = {"json", kg_render_json, 0, {NULL}, NULL},
    [KG_FORMAT_HTML] = {"html", kg_render_html, 1, {NULL}, NULL},
    [KG_FORMAT_GRAPHML] = {"graphml", kg_render_graphml, 0, {NULL}, NULL},
    [KG_FORMAT_GEXF] = {"gexf", kg_render_gexf, 0, {NULL}, NULL},
    [KG_FORMAT_CYJS] = {"cyjs", kg_render_cyjs, 0, {NULL}, NULL},
    [KG_FORMAT_CSV] = {"csv", kg_render_csv, 0, {"nodes", "edges"}, NULL},
    [KG_FORMAT_NEO4J] = {"neo4j", kg_render_neo4j, 0, {"nodes", "relationships"}, "csv"},
    [KG_FORMAT_TTL] = {"ttl", kg_render_ttl, 0, {NULL}, NULL},
};

int kg_format_parse(const char *name) {
    /* Graphviz's own extension for DOT files */
    if (strcasecmp(name, "gv") == 0) return KG_FORMAT_DOT;
    for (int i = 0; i < KG_N_FORMATS; i++)
        if (strcasecmp(name, formats[i].name) == 0) return i;
    return -1;
}

const char *kg_format_names(void) {
    static char names[256];
    if (!names[0])
        for (int i = 0; i < KG_N_FORMATS; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", formats[i].name);
        }
    return names;
}

int kg_format_is_picture(kg_format format) {
    return format >= 0 && format < KG_N_FORMATS && formats[format].picture;
}

int kg_format_has_positions(kg_format format) {
    return format == KG_FORMAT_JSON || format == KG_FORMAT_GRAPHML || format == KG_FORMAT_GEXF ||
           format == KG_FORMAT_CYJS || format == KG_FORMAT_CSV || format == KG_FORMAT_HTML ||
           format == KG_FORMAT_NEO4J || format == KG_FORMAT_TTL;
}

int kg_format_files(kg_format format) {
    return format >= 0 && format < KG_N_FORMATS && formats[format].parts[0] ? 2 : 1;
}

/* Did everything written to out reach it? stdio reports write errors late. */
static int check_written(FILE *out, kg_error *err) {
    if (fflush(out) == 0 && !ferror(out)) return 0;
    kg_error_set(err, "write error: %s", strerror(errno));
    return -1;
}

int kg_render(const kg_graph *g, kg_format format, const kg_render_options *opts,
              FILE *out, kg_error *err) {
    if (!g->finished) {
        kg_error_set(err, "the graph is not finished (call kg_graph_finish first)");
        return -1;
    }
    if (format < 0 || format >= KG_N_FORMATS) {
        kg_error_set(err, "unknown output format");
        return -1;
    }
    /* The analysis is a cache the graph holds: made here, with the
     * defaults, unless the caller made it (kg_graph_analyse). */
    if (!g->metrics && kg_graph_analyse((kg_graph *)g, NULL, err) < 0) return -1;
    static const kg_render_options defaults = {0};
    int rc = formats[format].render(g, opts ? opts : &defaults, out, err);
    return rc == 0 ? check_written(out, err) : rc;
}

/* Put "where: " before the message already in err. */
static void prefix_error(kg_error *err, const char *where) {
    char msg[sizeof(err->message)];
    snprintf(msg, sizeof(msg), "%s", err->message);
    kg_error_set(err, "%s: %s", where, msg);
}

/* Write with emit to out and close it; err names path on failure. */
static int emit_and_close(FILE *out, const char *path, kg_writer *emit, void *ctx,
                          kg_error *err) {
    int rc = emit(ctx, out, err);
    if (rc == 0) rc = check_written(out, err);
    if (rc < 0) prefix_error(err, path);
    if (fclose(out) != 0 && rc == 0) {
        kg_error_set(err, "%s: write error: %s", path, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* A device or a pipe (/dev/null, a FIFO, a terminal) is written in place:
 * renaming a file over it would replace it, and as root that destroys
 * /dev/null for the whole machine. So is a name of an open descriptor
 * (/dev/stdout, /dev/fd/N, /proc/PID/fd/N): it resolves to whatever the
 * descriptor is open on, and `-o /dev/stdout >> log` must append to log,
 * not replace it. */
static int is_special(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return 1;
    if (strncmp(path, "/dev/std", 8) == 0 || strncmp(path, "/dev/fd/", 8) == 0) return 1;
    const char *fd = strncmp(path, "/proc/", 6) == 0 ? strchr(path + 6, '/') : NULL;
    return fd && strncmp(fd, "/fd/", 4) == 0;
}

/* The number path gives a descriptor of this process (/dev/stdout,
 * /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N with our PID), or -1. */
static int fd_named(const char *path) {
    static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
    for (int fd = 0; fd <= 2; fd++)
        if (strcmp(path, std[fd]) == 0) return fd;
    char self[32];
    snprintf(self, sizeof(self), "/proc/%ld/fd/", (long)getpid());
    const char *number = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0) number = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0) number = path + 14;
    else if (strncmp(path, self, strlen(self)) == 0) number = path + strlen(self);
    if (!number || *number < '0' || *number > '9') return -1;
    char *end;
    long fd = strtol(number, &end, 10);
    return *end || fd > 1 << 20 ? -1 : (int)fd;
}

/* The descriptor of this process, open for writing, that output to path
 * goes through, or -1: the one path names, else a standard one (0-2) open
 * on the same file. Output there is written at the descriptor's offset
 * and with its O_APPEND, as to standard output: opening the name again
 * would truncate the file under the shell's redirection. */
static int own_fd_of(const char *path) {
    int fd = fd_named(path);
    if (fd < 0) {
        struct stat st, fd_st;
        if (stat(path, &st) != 0) return -1;
        for (int k = 0; k <= 2 && fd < 0; k++)
            if (fstat(k, &fd_st) == 0 && fd_st.st_dev == st.st_dev && fd_st.st_ino == st.st_ino)
                fd = k;
    }
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    return flags >= 0 && (flags & O_ACCMODE) != O_RDONLY ? fd : -1;
}

static int write_in_place(const char *path, kg_writer *emit, void *ctx, kg_error *err) {
    int fd = own_fd_of(path);
    FILE *out;
    if (fd >= 0) {
        /* what stdio holds for the descriptor goes first */
        fflush(NULL);
        int copy = dup(fd);
        out = copy >= 0 ? fdopen(copy, "wb") : NULL;
        if (copy >= 0 && !out) close(copy);
    } else {
        out = fopen(path, "wb");
    }
    if (!out) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    return emit_and_close(out, path, emit, ctx, err);
}

/* The temporary files that exist now, for kg_output_abandon, which a
 * signal handler may call at any moment: a slot holds a name from its
 * file's creation until the file is renamed or removed (one set of CSV's
 * two tables is the most written at once; a name without a slot is only
 * not removed on a signal). */
enum { MAX_PENDING = 8 };
static char *volatile pending[MAX_PENDING];

static void pending_add(char *name) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = name;
            return;
        }
}

static void pending_drop(const char *name) {
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == name) pending[i] = NULL;
}

void kg_output_abandon(void) {
    for (int i = 0; i < MAX_PENDING; i++) {
        char *name = pending[i];
        if (name) unlink(name);
    }
}

/* Remove a temporary file and forget its name. */
static void discard_temp(char *name) {
    unlink(name);
    pending_drop(name);
    free(name);
}

/* Write a temporary file beside target (.NAME.XXXXXX) with the usual
 * permissions; *tmp is its name, or NULL when it failed and is gone.
 * Messages name path, the output as given. */
static int write_temp(const char *path, const char *target, char **tmp, kg_writer *emit,
                      void *ctx, kg_error *err) {
    *tmp = NULL;
    /* a folder is found before any work, and before any other file of a
     * set is renamed */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        kg_error_set(err, "%s: cannot replace: %s", path, strerror(EISDIR));
        return -1;
    }
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    size_t len = strlen(target) + 16;
    char *name = xmalloc(len);
    /* ".NAME.XXXXXX" is 8 bytes longer than NAME: a name near the file
     * system's limit (255 bytes) is cut to fit, as a temporary name may be */
    snprintf(name, len, "%.*s.%.*s.XXXXXX", (int)dir_len, target, MAX_TEMP_NAME - 8,
             target + dir_len);
    int fd = mkstemp(name);
    if (fd < 0) {
        kg_error_set(err, "%s: cannot create output file: %s", path, strerror(errno));
        free(name);
        return -1;
    }
    pending_add(name);
    /* mkstemp makes the file private; give it the permissions of the file
     * it replaces (a private 0600 graph stays private), else the usual. */
    struct stat old;
    if (stat(target, &old) == 0) {
        fchmod(fd, old.st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *out = fdopen(fd, "wb");
    if (!out) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        close(fd);
        discard_temp(name);
        return -1;
    }
    if (emit_and_close(out, path, emit, ctx, err) < 0) {
        discard_temp(name);
        return -1;
    }
    *tmp = name;
    return 0;
}

/* The file that path names, to be replaced: a symbolic link's target (a
 * link stays one, even a dangling one: its target is made), else path
 * itself. Caller frees. */
static char *output_target(const char *path) {
    char *real = realpath(path, NULL);
    if (real) return real;
    /* no such file yet, or a link to none: follow the links by hand */
    char *target = xstrdup(path);
    struct stat st;
    for (int hops = 0; hops < 40 && lstat(target, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
        char link[PATH_MAX];
        ssize_t n = readlink(target, link, sizeof(link) - 1);
        if (n < 0) break;
        link[n] = '\0';
        const char *slash = strrchr(target, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - target) + 1;
        char *next = xmalloc(dir + (size_t)n + 1);
        memcpy(next, target, dir);
        memcpy(next + dir, link, (size_t)n + 1);
        free(target);
        target = next;
    }
    return target;
}

/* An output path must name a file: "" or one ending in '/' would write
 * a hidden ".XXXXXX" or ".nodes.csv" in a folder. */
static int check_output_name(const char *path, kg_error *err) {
    if (*path && path[strlen(path) - 1] != '/') return 0;
    kg_error_set(err, "'%s': the output needs a file name", path);
    return -1;
}

int kg_write_files(const char *const *paths, size_t n, kg_writer *emit, void *const *ctx,
                   kg_error *err) {
    char **tmp = xcalloc(n ? n : 1, sizeof(char *));
    char **target = xcalloc(n ? n : 1, sizeof(char *));
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) rc = check_output_name(paths[k], err);
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (is_special(paths[k]) || own_fd_of(paths[k]) >= 0) {
            rc = write_in_place(paths[k], emit, ctx[k], err);
            continue;
        }
        target[k] = output_target(paths[k]);
        rc = write_temp(paths[k], target[k], &tmp[k], emit, ctx[k], err);
    }
    /* every file is complete: only now is any target replaced */
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (!tmp[k]) continue; /* written in place */
        if (rename(tmp[k], target[k]) != 0) {
            kg_error_set(err, "%s: cannot replace: %s", paths[k], strerror(errno));
            rc = -1;
            break;
        }
        pending_drop(tmp[k]);
        free(tmp[k]);
        tmp[k] = NULL;
    }
    /* what a failure left: temporary files not renamed */
    for (size_t k = 0; k < n; k++) {
        if (tmp[k]) discard_temp(tmp[k]);
        free(target[k]);
    }
    free(tmp);
    free(target);
    return rc;
}

int kg_write_to_path(const char *path, kg_writer *emit, void *ctx, kg_error *err) {
    if (!path || strcmp(path, "-") == 0) {
        if (emit(ctx, stdout, err) < 0 || check_written(stdout, err) < 0) {
            prefix_error(err, "standard output");
            return -1;
        }
        return 0;
    }
    return kg_write_files(&path, 1, emit, &ctx, err);
}

/* kg_render's arguments, for kg_write_to_path. */
typedef struct render_job {
    const kg_graph *g;
    kg_format format;
    const kg_render_options *opts;
} render_job;

static int write_render_job(void *job, FILE *out, kg_error *err) {
    const render_job *j = job;
    return kg_render(j->g, j->format, j->opts, out, err);
}

/* A format of two files: path without its extension, then .PART.EXT for
 * each part, both written by kg_write_files. */
static int render_parts(const kg_graph *g, const struct format *f, kg_format format,
                        const kg_render_options *opts, const char *path, kg_error *err) {
    const char *e = f->ext ? f->ext : f->name;
    if (!path || strcmp(path, "-") == 0) {
        kg_error_set(err, "%s writes two files, NAME.%s.%s and NAME.%s.%s: give a path "
                     "(NAME.%s), not standard output", f->name, f->parts[0], e, f->parts[1], e, e);
        return -1;
    }
    size_t base = strlen(path), ext = strlen(e);
    if (base > ext && path[base - ext - 1] == '.' && strcasecmp(path + base - ext, e) == 0)
        base -= ext + 1;
    /* "dir/" or "dir/.csv" names no file: NAME would be empty */
    if (base == 0 || path[base - 1] == '/') {
        kg_error_set(err, "'%s': the output needs a file name (NAME.%s writes NAME.%s.%s and "
                     "NAME.%s.%s)", path, e, f->parts[0], e, f->parts[1], e);
        return -1;
    }
    char *paths[2];
    kg_render_options part_opts[2];
    render_job jobs[2];
    void *ctx[2];
    for (int k = 0; k < 2; k++) {
        size_t len = base + strlen(f->parts[k]) + ext + 3;
        paths[k] = xmalloc(len);
        snprintf(paths[k], len, "%.*s.%s.%s", (int)base, path, f->parts[k], e);
        part_opts[k] = *opts;
        part_opts[k].part = k;
        jobs[k] = (render_job){g, format, &part_opts[k]};
        ctx[k] = &jobs[k];
    }
    int rc = kg_write_files((const char *const *)paths, 2, write_render_job, ctx, err);
    free(paths[0]);
    free(paths[1]);
    return rc;
}

int kg_render_to_path(const kg_graph *g, kg_format format, const kg_render_options *opts,
                      const char *path, kg_error *err) {
    static const kg_render_options defaults = {0};
    if (kg_format_files(format) == 2)
        return render_parts(g, &formats[format], format, opts ? opts : &defaults, path, err);
    render_job job = {g, format, opts};
    return kg_write_to_path(path, write_render_job, &job, err);
}
