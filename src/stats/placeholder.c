/*
 * placeholder.c - keeps the stats library non-empty until its first real file lands;
 * delete it then.
 */
typedef int mdata_stats_placeholder;
