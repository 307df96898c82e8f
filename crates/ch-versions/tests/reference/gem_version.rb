# Reference for tests/differential_lang.rs (RubyGems): reads `A<TAB>B` lines on
# standard input and prints `<`, `=`, `>` per line as Gem::Version#<=> orders A
# against B, or `!` when Gem::Version.correct? rejects either.
# Run: ruby crates/ch-versions/tests/reference/gem_version.rb (Ruby 3.1, RubyGems 3.3).
require "rubygems"

def parse(text)
  return nil unless text.valid_encoding? && Gem::Version.correct?(text)
  Gem::Version.new(text)
rescue ArgumentError
  nil
end

out = []
$stdin.binmode
$stdin.read.force_encoding(Encoding::UTF_8).split("\n", -1).each do |line|
  next if line.empty?
  a, b = line.split("\t", 2)
  x = parse(a)
  y = parse(b || "")
  if x.nil? || y.nil?
    out << "!"
  else
    out << { -1 => "<", 0 => "=", 1 => ">" }.fetch(x <=> y)
  end
end
$stdout.write(out.map { |l| l + "\n" }.join)
