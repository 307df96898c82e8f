<?php
// Reference for tests/differential_lang.rs (Packagist): reads `A<TAB>B` lines on
// standard input and prints `<`, `=`, `>` per line: both versions normalised with
// Composer\Semver\VersionParser::normalize, then compared with PHP's
// version_compare (as Composer\Semver\Comparator does); `!` when normalize throws.
// Needs: PHP 8.2 CLI and composer/semver (Debian: php-composer-semver).
require '/usr/share/php/Composer/Semver/autoload.php';

$parser = new \Composer\Semver\VersionParser();
$normalize = function ($v) use ($parser) {
    try {
        return $parser->normalize($v);
    } catch (\Throwable $e) {
        return null;
    }
};
$out = '';
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
    if ($line === '') {
        continue;
    }
    $pair = explode("\t", $line, 2);
    $a = $normalize($pair[0]);
    $b = $normalize(isset($pair[1]) ? $pair[1] : '');
    if ($a === null || $b === null) {
        $out .= "!\n";
        continue;
    }
    $c = version_compare($a, $b);
    $out .= ($c < 0 ? '<' : ($c > 0 ? '>' : '=')) . "\n";
}
echo $out;
