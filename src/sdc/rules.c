/*
 * rules.c - the rules about who and how many (sdc rules R1, R2): the small-change rule on
 * commands that change or filter units. The population floor (R1) and the differencing
 * audit (R15) live in audit.c, because every population decision is also logged there.
 */
#include "sdc/sdc_int.h"

MdStatus sdc_check_change(const Sdc *sdc, int64_t n_changed, int64_t n_total, MdError *err)
{
    if (n_changed < 0 || n_total < 0 || n_changed > n_total)
        return md_error_set(err, MD_ERR_INTERNAL, "small-change check with inconsistent "
                            "counts");
    if (sdc->trusted)
        return MD_OK;
    int64_t k = sdc->config.small_change;
    int64_t kept = n_total - n_changed;
    /* sdc rule R2: 1..k-1 units affected, or 1..k-1 units unaffected, is refused */
    if ((n_changed >= 1 && n_changed < k) || (kept >= 1 && kept < k)) {
        sdc_audit_refusal(sdc, "change", "refused R2");
        md_error_set(err, MD_ERR_DISCLOSURE, "the command would affect, or leave out, too "
                     "few units (small-change rule)");
        md_error_hint(err, "rule R2 in docs/disclosure.md: a change must affect none, all, "
                      "or enough units both ways");
        return MD_ERR_DISCLOSURE;
    }
    return MD_OK;
}
