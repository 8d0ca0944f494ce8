# mic_data.sh — sourced by the benchmarks: N households of microdata (docs/income-microdata.md)
# in data/micN.csv ($F) and their units in data/micN-units.csv ($U), made once by gen_households.c
# (1 city, 5 counties, 100 townships, 1000 villages; all synthetic), reshaped: unit = village,
# income = household income / size (per capita).  Needs N, and the current folder bench/.
mkdir -p data out
cc -O2 -std=c17 -o out/gen_households gen_households.c -lm
F=data/mic$N.csv
U=data/mic$N-units.csv
if [ ! -s "$F" ] || [ ! -s "$U" ]; then
    ./out/gen_households "$N" 7 | awk -F, '
        NR == 1 { print "unit,household,urban,size,income,weight,food,consumption"; next }
        { printf "%s,%s,%s,%s,%.2f,%s,%s,%s\n", $5, $1, $6, $7, $8 / $7, $9, $10, $11
          if (!seen[$5]++) print $2 "," $3 "," $4 "," $5 > "/dev/stderr" }' > "$F" 2> "$F.vil"
    awk -F, 'BEGIN { print "code,name,name_en,parent,level,area,population,note" }
        { if (!c[$1]++) print $1 ",city " $1 ",,,city,urban,,synthetic"
          if (!c[$2]++) print $2 ",county " $2 ",," $1 ",county,urban,,synthetic"
          if (!c[$3]++) print $3 ",township " $3 ",," $2 ",township,rural,,synthetic"
          print $4 ",village " $4 ",," $3 ",village,rural,,synthetic" }' "$F.vil" > "$U"
    rm -f "$F.vil"
fi
