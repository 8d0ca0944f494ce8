# eval_ref.R — the evaluation benchmark's reference implementation in base R, written from the
# definitions in docs/evaluation.md (not from gongfu's code): mean imputation, outlier treatment
# (type-2 skew/kurtosis, stepwise winsorisation, log fallback), min-max [1,100] / min ranks,
# framework weights relative within parents, arithmetic / geometric means node by node, min
# ranks, and the Monte Carlo rank summaries (quantile type 7) over the SAME draws gongfu used
# (read from draws.csv written by `gongfu mcda score --draws-out`).
# usage: Rscript eval_ref.R DIR   (DIR holds iMeta.csv, iData.csv, draws.csv, g_scores.csv,
#        g_weights.csv); prints the compute time and compares with gongfu's outputs (tolerance 1e-9).
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
t_start <- proc.time()[["elapsed"]]

meta <- read.csv(file.path(dir, "iMeta.csv"), stringsAsFactors = FALSE, na.strings = "")
dat <- read.csv(file.path(dir, "iData.csv"), stringsAsFactors = FALSE, na.strings = c("", "NA"))
draws <- read.csv(file.path(dir, "draws.csv"))
ind <- meta[meta$Type == "Indicator", ]
agg <- meta[meta$Type == "Aggregate", ]
nodes <- c(ind$iCode, agg$iCode)
m <- nrow(ind); nnode <- length(nodes)
parent <- match(c(ind$Parent, agg$Parent), nodes)         # NA for the root
weight <- c(ind$Weight, agg$Weight); weight[is.na(weight)] <- 1
level <- c(ind$Level, agg$Level)
dirn <- ind$Direction
aggs <- (m + 1):nnode
aggs <- aggs[order(level[aggs])]                          # deepest first
children <- lapply(seq_len(nnode), function(k) which(parent == k))
root <- which(is.na(parent))

X <- as.matrix(dat[, ind$iCode])
n <- nrow(X)
for (j in seq_len(m)) X[is.na(X[, j]), j] <- mean(X[, j], na.rm = TRUE)

skewkurt <- function(v) {
  k <- length(v); d <- v - mean(v)
  m2 <- sum(d^2) / k; m3 <- sum(d^3) / k; m4 <- sum(d^4) / k
  g1 <- m3 / m2^1.5; g2 <- m4 / m2^2 - 3
  c(g1 * sqrt(k * (k - 1)) / (k - 2), ((k + 1) * g2 + 6) * (k - 1) / ((k - 2) * (k - 3)))
}
passes <- function(s) abs(s[1]) < 2 || s[2] < 3.5
treat <- function(x, winmax) {
  s <- skewkurt(x)
  if (passes(s)) return(x)
  orig <- x; s0 <- s; nw <- 0; done <- FALSE
  repeat {
    ext <- if (s[1] > 0) max(x) else min(x)
    rest <- x[x != ext]
    if (length(rest) == 0) break
    nxt <- if (s[1] > 0) max(rest) else min(rest)
    cnt <- sum(x == ext & x == orig)      # distinct points: those moved before are not recounted
    if (nw + cnt > winmax) break
    x[x == ext] <- nxt; nw <- nw + cnt
    s <- skewkurt(x)
    if (passes(s)) { done <- TRUE; break }
  }
  if (!done) {
    mn <- min(orig); mx <- max(orig); off <- 0.01 * (mx - mn)
    x <- log(orig - mn + off)             # COINr's log_CT, whatever the skew
  }
  x
}
normalise <- function(x, dir, how) {
  if (how == "minmax") {
    r <- if (dir < 0) (max(x) - x) / (max(x) - min(x)) else (x - min(x)) / (max(x) - min(x))
    1 + (100 - 1) * r
  } else rank(if (dir < 0) -x else x, ties.method = "min")
}
prepare <- function(winmax, how) {
  Y <- X
  for (j in seq_len(m)) Y[, j] <- normalise(treat(X[, j], winmax), dirn[j], how)
  Y
}
score_tree <- function(Y, w, how) {
  S <- matrix(NA_real_, n, nnode); S[, 1:m] <- Y
  for (k in aggs) {
    ch <- children[[k]]; wn <- w[ch] / sum(w[ch])
    S[, k] <- if (how == "arithmetic") S[, ch, drop = FALSE] %*% wn
              else exp(log(S[, ch, drop = FALSE]) %*% wn)
  }
  S
}

# nominal: winsorise up to 5 points, min-max [1,100], framework weights, arithmetic mean
S0 <- score_tree(prepare(5, "minmax"), weight, "arithmetic")
rank0 <- rank(-S0[, root], ties.method = "min")
eff <- sapply(seq_len(nnode), function(k) {
  v <- 1; c <- k
  while (!is.na(parent[c])) { p <- parent[c]; v <- v * weight[c] / sum(weight[children[[p]]]); c <- p }
  v })

# Monte Carlo over gongfu's draws: alternatives as listed in bench/eval_pipeline.json
winsors <- 0:5; norms <- c("minmax", "rank"); aggm <- c("arithmetic", "geometric")
combos <- list()
for (iw in seq_along(winsors)) for (inn in seq_along(norms))
  combos[[(iw - 1) * length(norms) + inn]] <- prepare(winsors[iw], norms[inn])
W <- as.matrix(draws[, paste0("w_", nodes)])
R <- matrix(0L, n, nrow(draws))
for (d in seq_len(nrow(draws))) {
  Y <- combos[[draws$winsor[d] * length(norms) + draws$normalise[d] + 1]]
  S <- score_tree(Y, W[d, ], aggm[draws$aggregate[d] + 1])
  R[, d] <- rank(-S[, root], ties.method = "min")
}
q <- apply(R, 1, quantile, probs = c(0.05, 0.5, 0.95), type = 7, names = FALSE)
shift <- rowMeans(abs(R - rank0))
t_compute <- proc.time()[["elapsed"]] - t_start
cat(sprintf("R: %.3f s (read, prepare, nominal scores, %d draws)\n", t_compute, nrow(draws)))

# compare with gongfu (not timed)
g <- read.csv(file.path(dir, "g_scores.csv"), stringsAsFactors = FALSE)
gw <- read.csv(file.path(dir, "g_weights.csv"), stringsAsFactors = FALSE)
stopifnot(identical(g$unit, dat$uCode), identical(gw$node, nodes))
dims <- setdiff(aggs, root)
checks <- list(
  "index score" = max(abs(g$score - S0[, root])),
  "dimension scores" = max(abs(as.matrix(g[, nodes[dims]]) - S0[, dims])),
  "nominal rank" = max(abs(g$rank - rank0)),
  "effective weights" = max(abs(gw$effective - eff)),
  "median rank" = max(abs(g$rank_median - q[2, ])),
  "5th percentile rank" = max(abs(g$rank_p05 - q[1, ])),
  "95th percentile rank" = max(abs(g$rank_p95 - q[3, ])),
  "mean absolute rank shift" = max(abs(g$rank_shift - shift)))
ok <- TRUE
for (nm in names(checks)) {
  good <- is.finite(checks[[nm]]) && checks[[nm]] <= 1e-9
  ok <- ok && good
  cat(sprintf("  %-26s max |gongfu - R| = %.3g %s\n", nm, checks[[nm]], if (good) "ok" else "MISMATCH"))
}
if (!ok) quit(status = 1)
cat("results equal within 1e-9\n")
