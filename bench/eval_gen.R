# eval_gen.R — synthetic framework for the evaluation benchmark (base R only; SYNTHETIC data).
# Writes iMeta.csv and iData.csv in COINr's shape: 60 indicators in 6 dimensions under one index,
# 1000 units; mixed directions, uneven weights, skewed indicators (so outlier treatment works),
# about 1% missing values.   usage: Rscript eval_gen.R OUTDIR [units] [indicators] [seed]
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "."
n <- if (length(args) >= 2) as.integer(args[2]) else 1000L
m <- if (length(args) >= 3) as.integer(args[3]) else 60L
seed <- if (length(args) >= 4) as.integer(args[4]) else 20251L
set.seed(seed)
ndim <- 6L
dim_of <- rep(seq_len(ndim), length.out = m)
icode <- sprintf("x%02d", seq_len(m))
dcode <- sprintf("D%d", seq_len(ndim))
meta <- data.frame(
  iCode = c(icode, dcode, "INDEX"),
  iName = c(sprintf("Synthetic indicator %d", seq_len(m)), sprintf("Synthetic dimension %d", seq_len(ndim)), "Synthetic index"),
  Level = c(rep(1L, m), rep(2L, ndim), 3L),
  Parent = c(dcode[dim_of], rep("INDEX", ndim), ""),
  Direction = c(ifelse(seq_len(m) %% 4 == 0, -1L, 1L), rep(NA, ndim + 1)),
  Weight = c(sample(1:3, m, replace = TRUE), sample(1:2, ndim, replace = TRUE), NA),
  Denominator = "",
  Target = NA,
  Type = c(rep("Indicator", m), rep("Aggregate", ndim + 1)),
  stringsAsFactors = FALSE)
X <- matrix(0, n, m)
for (j in seq_len(m)) {
  X[, j] <- switch(j %% 3 + 1,
    rnorm(n, 100, 15),            # symmetric
    rlnorm(n, 3, 0.9),            # strongly skewed: treated
    runif(n, 0, 1) + rexp(n, 3))  # mildly skewed
}
X <- round(X, 4)
X[sample(length(X), round(0.01 * length(X)))] <- NA
dat <- data.frame(uCode = sprintf("U%04d", seq_len(n)), uName = sprintf("Synthetic unit %d", seq_len(n)),
                  X, stringsAsFactors = FALSE)
names(dat)[-(1:2)] <- icode
write.csv(meta, file.path(out, "iMeta.csv"), row.names = FALSE, na = "", quote = FALSE)
write.csv(dat, file.path(out, "iData.csv"), row.names = FALSE, na = "", quote = FALSE)
