# Compare authscope decode -T fields output with a tshark oracle, cell by
# cell, by column name. Used by tests/sh/tshark_oracle.sh.
#   awk -f oracle_cmp.awk -v name=CAPTURE -v families="frame ip udp" \
#       -v secret=0|1 -v skip=EXCEPTIONS ORACLE.tsv OURS.tsv
# Columns whose family (the part before the first '.') is not in families
# are not compared, nor _ws.* ones. With secret=1, radius.User_Password is
# compared for presence only: tshark prints the decrypted password,
# authscope prints <ok> or <undecodable> and never the password.
# skip names cells tshark gets wrong: lines "CAPTURE FRAME COLUMN reason".
# Prints one line per family that differs (and the first differences), then
# "oracle NAME: N cells compared, M differ"; exits 1 on any difference.
BEGIN { FS = "\t"; nf = split(families, fam, " "); for (i = 1; i <= nf; i++) want[fam[i]] = 1
	if (skip != "") while ((getline l < skip) > 0) { split(l, s, " "); if (s[1] == name) skipcell[s[2] SUBSEP s[3]] = 1 } }
FNR == 1 && NR == 1 { for (i = 1; i <= NF; i++) ocol[i] = $i; onf = NF; next }
NR == FNR { orow[++on] = $0; next }
FNR == 1 { for (i = 1; i <= NF; i++) ucol[$i] = i; next }
{ urow[++un] = $0 }
END {
	bad = 0; cells = 0
	if (on != un) { printf "oracle %s: %d frames in the oracle, %d decoded\n", name, on, un; bad++ }
	n = on < un ? on : un
	for (r = 1; r <= n; r++) {
		split(orow[r], o, "\t"); split(urow[r], u, "\t")
		for (i = 1; i <= onf; i++) {
			c = ocol[i]; f = c; sub(/\..*/, "", f)
			if (!(f in want) || c ~ /^_ws\./) continue
			if (!(c in ucol)) { missing[c] = 1; continue }
			want_v = o[i]; got = u[ucol[c]]
			if (secret && c == "radius.User_Password") {
				want_v = want_v == "" ? "" : "<present>"
				got = (got == "<ok>" || got == "<undecodable>") ? "<present>" : got
			}
			cells++
			if (want_v == got || ((r SUBSEP c) in skipcell)) continue
			diff[f]++; bad++
			if (diff[f] <= 5) printf "  %s#%d %s: tshark '%s', authscope '%s'\n", name, r, c, substr(want_v, 1, 80), substr(got, 1, 80)
		}
	}
	for (c in missing) { printf "  %s: column %s not printed\n", name, c; bad++ }
	for (f in diff) printf "  %s: family %s: %d cells differ\n", name, f, diff[f]
	printf "oracle %s: %d cells compared, %d differ\n", name, cells, bad
	exit bad ? 1 : 0
}
