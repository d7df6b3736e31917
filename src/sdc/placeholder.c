/*
 * placeholder.c - keeps the sdc library non-empty until its first real file lands;
 * delete it then.
 */
typedef int mdata_sdc_placeholder;
