/*
 * derive_income.c - yearly income, wealth and tax of a person (the INNTEKT_* variables),
 * built from components that follow the life history: wages from the jobs, business
 * income of the self-employed, capital income and wealth that grow with age and earnings,
 * old-age pension from 67, disability benefit, unemployment benefit between jobs, child
 * benefit for mothers, tax from the sum. A person who is not resident in the year (dead,
 * emigrated, not yet arrived) has no row; income stops at death.
 */
#include "store/gen/gen_int.h"

#include <math.h>
#include <string.h>

typedef enum IncomePart {
    INC_WAGE, INC_SELF, INC_CAPITAL, INC_INTEREST, INC_PENSION, INC_DISABILITY, INC_UNEMP,
    INC_CHILD, INC_TRANSFERS, INC_TAXABLE_TRANSFERS, INC_TOTAL, INC_TAX, INC_AFTER_TAX,
    INC_WEALTH, INC_DEBT, INC_WORK, INC_PENSION_BASE
} IncomePart;

typedef struct Income {
    double part[INC_PENSION_BASE + 1];
} Income;

static double inc_lognormal(const DeriveCtx *c, int64_t i, int32_t year, uint64_t tag,
                            double mu, double sigma)
{
    return exp(mu + sigma * gen_normal(c->seed, tag, (uint64_t)i, (uint64_t)year));
}

static double inc_tax(double income, double capital)
{
    double tax = income > 70000 ? 0.24 * (income - 70000) : 0;
    tax += income > 700000 ? 0.14 * (income - 700000) : 0;
    return tax + 0.22 * capital;
}

/* All components of person i in year y; share = resident part of the year. */
static void inc_compute(const DeriveCtx *c, int64_t i, int32_t year, double share, Income *in)
{
    const GenHistories *h = &c->st->h;
    const GenPersons *p = c->p;
    memset(in, 0, sizeof(*in));
    int32_t age = year - date_year(p->birth[i]);
    double months = gen_work_months(h, i, year);
    double monthly = gen_monthly_wage(h, i, year);
    in->part[INC_WAGE] = (double)gen_wage_income(h, i, year);
    if ((p->flags[i] & GEN_F_SELFEMP) && months > 0) {
        in->part[INC_SELF] = floor(inc_lognormal(c, i, year, 0x736566, log(monthly * 3.0), 0.8));
    }
    double level = exp(0.3 * p->ability[i]) * (age < 20 ? 0.1 : age > 80 ? 2.5 : 0.1 + age / 30.0);
    if (gen_u01(c->seed, 0x6b6170, (uint64_t)i, (uint64_t)year) < 0.85) {
        in->part[INC_CAPITAL] = floor(inc_lognormal(c, i, year, 0x6b6131, 8.5, 1.4) * level);
        in->part[INC_INTEREST] = floor(in->part[INC_CAPITAL] * 0.35);
    }
    double base = 118620.0 * pow(1.035, year - 2023);  /* grunnbeloepet, about */
    if (age >= 67) {
        in->part[INC_PENSION] = floor(share * base * (1.9 + 0.8 * exp(0.3 * p->ability[i])));
    }
    bool working_age = age >= 18 && age < 67;
    if ((p->flags[i] & GEN_F_DISABLED) && working_age && age >= 38 && months < 12) {
        in->part[INC_DISABILITY] = floor(share * (12 - months) / 12.0 * base * 2.4);
    }
    if (working_age && months > 0 && months < 11 && !(p->flags[i] & GEN_F_DISABLED) &&
        gen_u01(c->seed, 0x756e65, (uint64_t)i, (uint64_t)year) < 0.5) {
        in->part[INC_UNEMP] = floor((12 - months) * monthly * 0.62 * 0.4);
    }
    if (p->sex[i] == 2 && p->parity[i] > 0 && age >= 20 && age < 52) {
        in->part[INC_CHILD] = floor(share * 12 * 1054.0 * (p->parity[i] > 3 ? 3 : p->parity[i]));
    }
    double taxable = in->part[INC_PENSION] + in->part[INC_DISABILITY] + in->part[INC_UNEMP];
    in->part[INC_TAXABLE_TRANSFERS] = taxable;
    in->part[INC_TRANSFERS] = taxable + in->part[INC_CHILD];
    in->part[INC_WORK] = in->part[INC_WAGE] + in->part[INC_SELF];
    in->part[INC_TOTAL] = in->part[INC_WORK] + in->part[INC_CAPITAL] + in->part[INC_TRANSFERS];
    in->part[INC_TAX] = floor(inc_tax(in->part[INC_WORK] + taxable, in->part[INC_CAPITAL]));
    in->part[INC_AFTER_TAX] = in->part[INC_TOTAL] - in->part[INC_TAX];
    double wealth_level = age < 20 ? 0.05 : age < 70 ? (age - 18) / 25.0 : 2.0;
    in->part[INC_WEALTH] = floor(inc_lognormal(c, i, year / 4, 0x776c74, 12.4, 1.3) *
                                 wealth_level * exp(0.3 * p->ability[i]) *
                                 pow(1.05, year - 2023));
    double has_debt = gen_u01(c->seed, 0x646562, (uint64_t)i, (uint64_t)(year / 6));
    if (age >= 22 && age < 75 && has_debt < 0.75) {
        double peak = age < 38 ? (age - 21) / 16.0 : (75.0 - age) / 37.0;
        in->part[INC_DEBT] = floor(peak * inc_lognormal(c, i, year / 3, 0x646531, 14.3, 0.7) *
                                   pow(1.05, year - 2023));
    }
}

static const struct {
    const char *name;
    IncomePart part;
} income_rules[] = {
    {"INNTEKT_WLONN", INC_WAGE},           {"INNTEKT_LONN", INC_WAGE},
    {"INNTEKT_WYRKINNT", INC_WORK},        {"INNTEKT_YRKINNT", INC_WORK},
    {"INNTEKT_WNARINNT", INC_SELF},        {"INNTEKT_NARINNT", INC_SELF},
    {"INNTEKT_PGIVINNT", INC_WORK},        {"INNTEKT_WKAPINNT", INC_CAPITAL},
    {"INNTEKT_RENTINNT", INC_INTEREST},    {"INNTEKT_WOVERFOR", INC_TRANSFERS},
    {"INNTEKT_OVERFOR", INC_TRANSFERS},    {"INNTEKT_WSKPLOVF", INC_TAXABLE_TRANSFERS},
    {"INNTEKT_SKPLOVF", INC_TAXABLE_TRANSFERS}, {"INNTEKT_WSKFROVF", INC_CHILD},
    {"INNTEKT_BARNETRYGD", INC_CHILD},     {"INNTEKT_WSAMINNT", INC_TOTAL},
    {"INNTEKT_UTSKATT", INC_TAX},          {"INNTEKT_WSKATOVF", INC_TAX},
    {"INNTEKT_WIES", INC_AFTER_TAX},       {"INNTEKT_ALDERSP_FOLKETR", INC_PENSION},
    {"INNTEKT_FTRYG", INC_PENSION},        {"INNTEKT_KODE218", INC_DISABILITY},
    {"INNTEKT_ARBLED", INC_UNEMP},         {"INNTEKT_BRUTTOFORM", INC_WEALTH},
    {"INNTEKT_BER_BRFORM", INC_WEALTH},    {"INNTEKT_GJELD", INC_DEBT},
};

/* Persons 16 and over resident some day of the period have a row. */
static bool v_income(const DeriveCtx *c, int64_t i, int32_t s0, int32_t s1, int64_t *v)
{
    const GenPersons *p = c->p;
    int32_t days = gen_resident_days(p, i, s0, s1);
    if (days == 0 || gen_age_at(p, i, s1) < 16) {
        return false;
    }
    Income in;
    int32_t year = date_year(s0);
    double amount;
    if (c->role == INC_WAGE) {
        amount = (double)gen_wage_income(&c->st->h, i, year);
    } else {
        inc_compute(c, i, year, days / (double)(s1 - s0 + 1), &in);
        amount = in.part[c->role];
    }
    if (c->info->value_type == VALUE_DOUBLE) {
        memcpy(v, &amount, sizeof(double));
    } else {
        *v = (int64_t)amount;
    }
    return true;
}

bool gen_rule_income(DeriveCtx *c)
{
    if (c->info->temporality != TEMPORALITY_ACCUMULATED ||
        (c->info->value_type != VALUE_LONG && c->info->value_type != VALUE_DOUBLE)) {
        return false;
    }
    for (size_t k = 0; k < MD_ARRAY_LEN(income_rules); k++) {
        if (strcmp(income_rules[k].name, c->info->name) == 0) {
            c->value = v_income;
            c->role = (int)income_rules[k].part;
            return true;
        }
    }
    return false;
}
