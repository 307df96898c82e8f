#include <stdio.h>
#include <string.h>

#include "flag_data.h" /* FLAG_DATA: the flag, obfuscated; not given to you */

struct account {
    char name[16];
    int is_admin;
};

int main(void) {
    struct account user;
    char line[256];

    user.is_admin = 0;
    if (!fgets(line, sizeof line, stdin)) {
        return 1;
    }
    line[strcspn(line, "\n")] = '\0';
    strcpy(user.name, line);
    if (user.is_admin) {
        for (size_t i = 0; i < sizeof FLAG_DATA; i++) {
            putchar(FLAG_DATA[i] ^ 0x5a);
        }
        putchar('\n');
    } else {
        printf("hello %s, you are not an administrator\n", user.name);
    }
    return 0;
}
