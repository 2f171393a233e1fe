#!/bin/sh
# agency-compose --seed: the same arguments give the same bytes, another
# seed other music, and no seed a fresh one that can be repeated.
. "${0%/*}/../lib.sh"
plan 12

check 'seed 21' 'agency-compose -m cinematic -d 6 -s 21 -o a.wav --midi a.mid'
check 'seed 21 again' 'agency-compose -m cinematic -d 6 -s 21 -o b.wav --midi b.mid'
ok_if 'gives the same audio, byte for byte' 'cmp a.wav b.wav'
ok_if 'and the same MIDI file' 'cmp a.mid b.mid'
check 'seed 22' 'agency-compose -m cinematic -d 6 -s 22 -o c.wav --midi c.mid'
ok_if 'gives other audio' '! cmp -s a.wav c.wav'
ok_if 'from another score' '! cmp -s a.mid c.mid'
check 'no seed' 'agency-compose -m dark -d 3 -o r1.wav >r1.json'
seed=$(json_get r1.json 'd["seed"]')
check 'its seed, given back' "agency-compose -m dark -d 3 -s $seed -o r2.wav"
ok_if 'gives the same bed' 'cmp r1.wav r2.wav'
check 'no seed again' 'agency-compose -m dark -d 3 -o r3.wav >r3.json'
ok_if 'draws another seed' '[ "$(json_get r3.json "d[\"seed\"]")" != "$seed" ]'
done_testing
