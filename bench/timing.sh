# timing.sh — sourced by the benchmarks: run NAME CMD... times one command with /usr/bin/time -v
# and keeps its wall seconds, user+sys CPU seconds and peak RSS (MB) in WALL, CPU, PEAK[NAME];
# its output in out/NAME.stdout and out/NAME.stderr (it stops the bench when the command fails).
declare -A WALL PEAK CPU
run() { # run NAME CMD...: wall, user+sys CPU, peak RSS (MB) from /usr/bin/time -v
    local name=$1
    shift
    /usr/bin/time -v -o "out/$name.time" "$@" > "out/$name.stdout" 2> "out/$name.stderr" || {
        echo "$name failed:"; cat "out/$name.stderr"; exit 1; }
    WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "out/$name.time")
    CPU[$name]=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "out/$name.time")
    PEAK[$name]=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "out/$name.time")
}
