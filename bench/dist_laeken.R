# dist_laeken.R — the R laeken side of dist_bench.sh: laeken's gini, arpr, qsr, rmpg and
# weightedMedian for every unit of the 4-level hierarchy of a household CSV (per-capita income,
# persons weigh weight x size).  usage: Rscript dist_laeken.R FILE.csv OUT.csv
suppressPackageStartupMessages(library(laeken))
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
h <- read.csv(args[1], colClasses = c("numeric", "character", "character", "character", "character",
                                     "integer", "integer", "numeric", "numeric", "numeric", "numeric"))
t1 <- Sys.time()
x <- h$income / h$size
w <- h$weight * h$size
res <- list()
for (level in c("city", "county", "township", "village")) {
    idx <- split(seq_along(x), h[[level]])
    for (k in names(idx)) {
        i <- idx[[k]]
        xi <- x[i]; wi <- w[i]
        res[[length(res) + 1]] <- data.frame(level = level, grp = k, gini = gini(xi, wi)$value / 100,
            arpr = arpr(xi, wi)$value / 100, qsr = qsr(xi, wi)$value, rmpg = rmpg(xi, wi)$value / 100,
            median = weightedMedian(xi, wi))
    }
}
res <- do.call(rbind, res)
t2 <- Sys.time()
write.csv(format(res, digits = 17, trim = TRUE), args[2], row.names = FALSE, quote = FALSE)
message(sprintf("laeken: load %.3f s, compute %.3f s, %d units", as.numeric(t1 - t0, units = "secs"),
                as.numeric(t2 - t1, units = "secs"), nrow(res)))
