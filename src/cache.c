/* cache: digests, cache folders and mapped files for the compiled forms (cache.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

static inline uint64_t mix(uint64_t h) {
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 31);
}

uint64_t kg_digest(const void *data, size_t size) {
    const unsigned char *p = data;
    /* four independent chains: each multiply waits only for its own lane */
    uint64_t lane[4] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL, 0xA4093822299F31D0ULL,
                        0x082EFA98EC4E6C89ULL};
    uint64_t word;
    size_t i = 0;
    for (; i + 32 <= size; i += 32)
        for (int k = 0; k < 4; k++) {
            memcpy(&word, p + i + 8 * k, 8);
            lane[k] = mix(lane[k] ^ word);
        }
    uint64_t h = mix(size);
    for (int k = 0; k < 4; k++) h = mix(h ^ lane[k]);
    for (; i + 8 <= size; i += 8) {
        memcpy(&word, p + i, 8);
        h = mix(h ^ word);
    }
    return h ^ kg_hash(p + i, size - i);
}

char *kg_cache_dir(void) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    kg_buf b = {0};
    if (xdg && *xdg == '/') kg_buf_adds(&b, xdg);
    else if (home && *home) kg_buf_addf(&b, "%s/.cache", home);
    else return NULL;
    mkdir(b.data, 0700);
    kg_buf_adds(&b, "/kgraph");
    if (mkdir(b.data, 0700) != 0 && errno != EEXIST) {
        kg_buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *kg_cache_name(const char *dir, const char *kind, uint64_t digest, int version) {
    kg_buf b = {0};
    kg_buf_addf(&b, "%s%s%s-%016llx-v%d.kgc", dir, kg_has_suffix(dir, "/") ? "" : "/", kind,
                (unsigned long long)digest, version);
    return b.data;
}

int kg_map_file(const char *path, kg_mapping *out) {
    *out = (kg_mapping){NULL, 0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    void *map = MAP_FAILED;
    int saved = EINVAL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size <= SIZE_MAX) {
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) saved = errno;
    }
    close(fd);
    if (map == MAP_FAILED) {
        errno = saved;
        return -1;
    }
    *out = (kg_mapping){map, (size_t)st.st_size};
    return 0;
}

void kg_unmap(kg_mapping *m) {
    if (m->data) munmap((void *)m->data, m->size);
    *m = (kg_mapping){NULL, 0};
}
