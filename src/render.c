/*
 * render: choose a renderer, and write its output so that a failure never
 * leaves a half-written file: render into a temporary file in the same
 * folder, then rename it over the target (atomic on POSIX file systems).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"

/* Every format: its name and renderer. A new format is a render_*.c file
 * and a line here. */
static const struct format {
    const char *name;
    kg_renderer *render;
    int picture; /* laid out by Graphviz */
} formats[KG_N_FORMATS] = {
    [KG_FORMAT_DOT] = {"dot", kg_render_dot, 0},
    [KG_FORMAT_SVG] = {"svg", kg_render_svg, 1},
    [KG_FORMAT_PNG] = {"png", kg_render_png, 1},
    [KG_FORMAT_PDF] = {"pdf", kg_render_pdf, 1},
    [KG_FORMAT_JSON] = {"json", kg_render_json, 0},
    [KG_FORMAT_HTML] = {"html", kg_render_html, 1},
};

int kg_format_parse(const char *name) {
    for (int i = 0; i < KG_N_FORMATS; i++)
        if (strcmp(name, formats[i].name) == 0) return i;
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

int kg_write_to_path(const char *path, kg_writer *emit, void *ctx, kg_error *err) {
    if (!path || strcmp(path, "-") == 0) {
        if (emit(ctx, stdout, err) < 0 || check_written(stdout, err) < 0) {
            prefix_error(err, "standard output");
            return -1;
        }
        return 0;
    }
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path) + 16;
    char *tmp = xmalloc(len);
    snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)dir_len, path, path + dir_len);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        kg_error_set(err, "%s: cannot create output file: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp makes the file private; give it the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *out = fdopen(fd, "wb");
    if (!out) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    int rc = emit(ctx, out, err);
    if (rc == 0) rc = check_written(out, err);
    if (rc < 0) prefix_error(err, path);
    if (fclose(out) != 0 && rc == 0) {
        kg_error_set(err, "%s: write error: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        kg_error_set(err, "%s: cannot replace: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc < 0) unlink(tmp);
    free(tmp);
    return rc;
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

int kg_render_to_path(const kg_graph *g, kg_format format, const kg_render_options *opts,
                      const char *path, kg_error *err) {
    render_job job = {g, format, opts};
    return kg_write_to_path(path, write_render_job, &job, err);
}
