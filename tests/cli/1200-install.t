#!/bin/sh
# make install puts binaries, man pages, completions and data in place,
# under DESTDIR and PREFIX, and the installed front finds its tools.
. "${0%/*}/../lib.sh"
plan 7

check 'make install-files into a DESTDIR' \
    "make -s -C '$ROOT' install-files DESTDIR='$T/dest' PREFIX=/opt/ag"
ok_if 'binaries in PREFIX/bin' '[ -x dest/opt/ag/bin/agency ]'
ok_if 'man pages in PREFIX/share/man' \
    '[ -f dest/opt/ag/share/man/man1/agency.1 ] &&
     [ -f dest/opt/ag/share/man/man5/agency-config.5 ] &&
     [ -f dest/opt/ag/share/man/man7/agency-formats.7 ]'
ok_if 'completions for bash, zsh and fish' \
    '[ -f dest/opt/ag/share/bash-completion/completions/agency ] &&
     [ -f dest/opt/ag/share/zsh/site-functions/_agency ] &&
     [ -f dest/opt/ag/share/fish/vendor_completions.d/agency.fish ]'
check 'the installed front runs' 'dest/opt/ag/bin/agency --version'
check 'make uninstall removes it all again' \
    "make -s -C '$ROOT' uninstall DESTDIR='$T/dest' PREFIX=/opt/ag"
ok_if 'nothing is left but empty folders' \
    '[ -z "$(find dest -type f)" ]'
done_testing
