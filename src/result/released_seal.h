/*
 * released_seal.h - the seal that marks a Released value as made by disclosure control.
 * Only files under src/sdc may include this header (tests/check_top_comments.sh checks).
 */
#ifndef MDATA_RESULT_RELEASED_SEAL_H
#define MDATA_RESULT_RELEASED_SEAL_H

#define RELEASED_SEAL_VALUE 0x5dc0a11dU

#endif /* MDATA_RESULT_RELEASED_SEAL_H */
