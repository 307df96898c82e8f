# Reference for the CRAN ordering: R's package_version (strict) and its comparison.
# Reads `A<TAB>B` lines on stdin, prints `<`, `=`, `>` or `!` (not a valid package
# version) per line. Run with `Rscript` (Debian package r-base-core).
con <- file("stdin")
lines <- readLines(con, warn = FALSE)
close(con)
parse <- function(s) {
  tryCatch(suppressWarnings(package_version(s, strict = TRUE)), error = function(e) NULL)
}
cache <- new.env(hash = TRUE)
get <- function(s) {
  if (!exists(s, envir = cache, inherits = FALSE)) {
    p <- parse(s)
    ok <- !is.null(p) && !is.na(p)
    assign(s, if (ok) p else NA, envir = cache)
  }
  base::get(s, envir = cache, inherits = FALSE)
}
out <- character(length(lines))
for (i in seq_along(lines)) {
  parts <- strsplit(lines[[i]], "\t", fixed = TRUE)[[1]]
  a <- get(parts[[1]])
  b <- get(if (length(parts) > 1) parts[[2]] else "")
  if (!inherits(a, "package_version") || !inherits(b, "package_version")) {
    out[[i]] <- "!"
  } else if (a < b) {
    out[[i]] <- "<"
  } else if (a == b) {
    out[[i]] <- "="
  } else {
    out[[i]] <- ">"
  }
}
writeLines(out)
