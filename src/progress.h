/*
 * progress: the line kgraph shows on a terminal while a run takes longer
 * than a second ("kgraph: reading 500 files… 3 s"), so a long run is not
 * mistaken for a hung one. Part of the command line, not of the library.
 */
#ifndef KG_PROGRESS_H
#define KG_PROGRESS_H

/* Start showing the stage, beginning with `first`, on stderr, from one
 * second on, only when stderr is a terminal and show is set. */
void kg_progress_start(int show, const char *first);
/* The stage now: a short phrase ("laying out"), kept by pointer. */
void kg_progress_stage(const char *stage);
/* Stop, and clear the line if one was shown. */
void kg_progress_stop(void);

#endif
