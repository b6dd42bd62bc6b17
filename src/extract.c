/*
 * extract: mentions -> entity nodes.
 *
 * A gazetteer mention belongs to its entity's node (id: the canonical
 * name). A name found by a pattern is its own canonical form, so its node
 * is looked up by the surface text; the same string in any document is
 * the same node. Every node remembers the distinct surfaces it was seen
 * as (its aliases), in the order first seen. A gazetteer mention's surface
 * is the alias that matched, so once that alias is recorded its later
 * mentions need neither the text nor the alias list (most of a large
 * corpus's mentions).
 */
#include <string.h>

#include "graph.h"
#include "rules.h"

int kg_node_get(kg_graph *g, const char *id, size_t len, int type, int entity, int place,
                const char *parent) {
    int found = kg_strmap_get(&g->node_by_id, id, len);
    if (found >= 0) return found;
    GROW(g->nodes, g->cap_nodes, g->n_nodes + 1);
    kg_node *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof(*n));
    n->id = xstrndup(id, len);
    n->type = type;
    n->entity = entity;
    n->place = entity < 0 ? place : -1;
    n->parent = entity < 0 && parent ? xstrdup(parent) : NULL;
    kg_strmap_put(&g->node_by_id, id, len, (int)g->n_nodes);
    return (int)g->n_nodes++;
}

void kg_node_add_alias(kg_node *n, const char *surface, size_t len) {
    for (size_t i = 0; i < n->n_aliases; i++)
        if (n->alias_lens[i] == len && memcmp(n->aliases[i], surface, len) == 0) return;
    n->aliases = xrealloc(n->aliases, (n->n_aliases + 1) * sizeof(char *));
    n->alias_lens = xrealloc(n->alias_lens, (n->n_aliases + 1) * sizeof(size_t));
    n->alias_lens[n->n_aliases] = len;
    n->aliases[n->n_aliases++] = xstrndup(surface, len);
}

/* The id of the body a found name belongs to (parent_end: its own text's
 * start), or NULL. */
static const char *parent_of(kg_graph *g, const kg_doc *doc, const kg_mention *m) {
    if (m->parent >= 0) return kg_rules_entity_name(g->rules, (size_t)m->parent);
    if (!m->parent_end) return NULL;
    g->parent_len = 0;
    kg_doc_utf8(doc, m->name_start, m->parent_end, &g->parent, &g->parent_len, &g->parent_cap);
    return g->parent;
}

void kg_extract(kg_graph *g, const kg_doc *doc, kg_mention *mentions, size_t n) {
    for (size_t i = 0; i < n; i++) {
        kg_mention *m = &mentions[i];
        int seen_bit = m->alias >= 0 ? 1 << (m->alias & 7) : 0;
        if (seen_bit && (g->alias_seen[m->alias >> 3] & seen_bit)) {
            m->node = g->node_of_entity[m->entity];
            continue;
        }
        g->text_len = 0;
        kg_doc_utf8(doc, m->start, m->end, &g->text, &g->text_len, &g->text_cap);
        int node;
        if (m->entity >= 0) {
            node = g->node_of_entity[m->entity];
            if (node < 0) {
                const kg_entity *e = &g->rules->entities[m->entity];
                const char *name = kg_rules_entity_name(g->rules, (size_t)m->entity);
                /* a name learned from other documents is a found name's node */
                node = kg_node_get(g, name, strlen(name), m->type,
                                   e->learned ? -1 : m->entity, e->learned ? e->place : -1, NULL);
                g->node_of_entity[m->entity] = node;
            }
        } else {
            /* named by its own text, or a short form's by the full name */
            const char *id = g->text;
            size_t id_len = g->text_len;
            if (m->name_start != m->start || m->name_end != m->end) {
                g->name_len = 0;
                kg_doc_utf8(doc, m->name_start, m->name_end, &g->name, &g->name_len, &g->name_cap);
                id = g->name;
                id_len = g->name_len;
            }
            node = kg_node_get(g, id, id_len, m->type, -1, m->place, parent_of(g, doc, m));
        }
        kg_node_add_alias(&g->nodes[node], g->text, g->text_len);
        if (seen_bit) g->alias_seen[m->alias >> 3] |= (uint8_t)seen_bit;
        m->node = node;
    }
}
