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

static const char *const format_names[] = {"dot", "svg", "json"};

int kg_format_parse(const char *name) {
    for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
        if (strcmp(name, format_names[i]) == 0) return (int)i;
    return -1;
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
    int rc;
    switch (format) {
    case KG_FORMAT_DOT: rc = kg_render_dot(g, out, err); break;
    case KG_FORMAT_SVG: rc = kg_render_svg(g, opts ? opts->layout : NULL, out, err); break;
    case KG_FORMAT_JSON: rc = kg_render_json(g, out, err); break;
    default:
        kg_error_set(err, "unknown output format");
        return -1;
    }
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
