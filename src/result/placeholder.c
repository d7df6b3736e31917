/*
 * placeholder.c - keeps the result library non-empty until its first real file lands;
 * delete it then.
 */
typedef int mdata_result_placeholder;
