#!/bin/bash
# t0410-laeken — cross-check against R's laeken (the reference implementation DESIGN.md §3
# follows): a generated household file with survey weights, household sizes and a breakdown;
# laeken's gini, arpr, qsr, rmpg and weightedMedian must equal gongfu's to 1e-9 relative, for
# the whole file and for every group.  Skipped (exit 0) only when Rscript is missing.
# no database: files in, figures out (the same on either backend)
set -eu
G=${GONGFU:?GONGFU must point at the gongfu binary}
if ! command -v Rscript > /dev/null 2>&1; then
    echo "t0410-laeken: skipped (Rscript not installed)"
    exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"

cat > ref.R <<'RS'
suppressPackageStartupMessages(library(laeken))
set.seed(20231122)
n <- 6000
g <- sample(c("510402", "510403", "510411", "510421", "510422", "tiny"), n, replace = TRUE,
            prob = c(.3, .25, .2, .15, .0995, .0005))
g[1:3] <- "tiny"
size <- sample(1:6, n, replace = TRUE)
# incomes in cents (exact decimal text), some ties (rounded to 1000), some zeros
income <- round(exp(rnorm(n, 10.6 + (g == "510402") * 0.3, 0.7)) * size, 2)
income[sample(n, 600)] <- round(income[sample(n, 600)], -3)
income[sample(n, 20)] <- 0
weight <- round(runif(n, 0.5, 300), 2)
weight[sample(n, 30)] <- 0
write.csv(data.frame(hh = seq_len(n), county = g, size = size, income = sprintf("%.2f", income),
                     weight = sprintf("%.2f", weight)), "h.csv", row.names = FALSE, quote = FALSE)
inc <- income / size
w <- weight * size
one <- function(k, sel) {
    x <- inc[sel]; v <- w[sel]
    data.frame(group = k,
               gini = gini(x, v)$value / 100,
               arpr = arpr(x, v)$value / 100,
               qsr = qsr(x, v)$value,
               rmpg = rmpg(x, v)$value / 100,
               median = weightedMedian(x, v))
}
res <- one("all", rep(TRUE, n))
for (k in sort(unique(g))) res <- rbind(res, one(k, g == k))
# the breakdown form must agree with the per-group subsets for gini and qsr
gb <- gini(inc, w, breakdown = g)$valueByStratum
qb <- qsr(inc, w, breakdown = g)$valueByStratum
stopifnot(all.equal(gb$value[match(res$group[-1], gb$stratum)] / 100, res$gini[-1], tolerance = 1e-14))
stopifnot(all.equal(qb$value[match(res$group[-1], qb$stratum)], res$qsr[-1], tolerance = 1e-14))
write.csv(format(res, digits = 17), "ref.csv", row.names = FALSE, quote = FALSE)
RS
Rscript ref.R
"$G" stats h.csv --value income --weight weight --size size --per-capita --by county --format csv > g.csv

# compare: for every reference row and measure, |gongfu - laeken| <= 1e-9 * |laeken|
awk -F, '
    FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
    FILENAME == "g.csv" { for (i = 1; i <= NF; i++) cell[$2, i] = $i; next }
    {
        grp = $1
        gsub(/ /, "", grp)
        n++
        split("gini arpr qsr rmpg median", m, " ")
        for (k = 1; k <= 5; k++) {
            ref = $(col[FILENAME, m[k]]) + 0
            got = cell[grp, col["g.csv", m[k]]]
            if (got == "") { printf "missing %s for %s\n", m[k], grp; bad++; continue }
            d = got - ref; if (d < 0) d = -d
            r = ref < 0 ? -ref : ref
            if (d > 1e-9 * r && d > 1e-300) { printf "%s %s: gongfu %s laeken %.17g\n", grp, m[k], got, ref; bad++ }
            checked++
        }
    }
    END {
        if (n != 7) { print "expected 7 reference rows, got " n; exit 1 }
        printf "t0410-laeken: %d values compared, %d differ\n", checked, bad
        exit bad > 0
    }' g.csv ref.csv
