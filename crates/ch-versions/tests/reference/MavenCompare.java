// Reference for tests/differential_lang.rs (Maven): reads `A<TAB>B` lines on
// standard input and prints `<`, `=` or `>` per line, as Maven's
// org.apache.maven.artifact.versioning.ComparableVersion orders A against B.
// With the argument `canonical`, prints instead the canonical form of A
// (ComparableVersion.getCanonical()), one line per input line.
// Run: java -cp /usr/share/maven/lib/maven-artifact-3.x.jar MavenCompare.java [canonical]
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
    public static void main(String[] args) throws Exception {
        boolean canonical = args.length > 0 && args[0].equals("canonical");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int tab = line.indexOf('\t');
            String answer;
            if (canonical) {
                String a = tab < 0 ? line : line.substring(0, tab);
                try {
                    answer = new ComparableVersion(a).getCanonical();
                } catch (RuntimeException e) {
                    answer = "!";
                }
            } else if (tab < 0) {
                answer = "!";
            } else {
                try {
                    ComparableVersion a = new ComparableVersion(line.substring(0, tab));
                    ComparableVersion b = new ComparableVersion(line.substring(tab + 1));
                    int c = a.compareTo(b);
                    answer = c < 0 ? "<" : c > 0 ? ">" : "=";
                } catch (RuntimeException e) {
                    answer = "!";
                }
            }
            out.write(answer);
            out.write('\n');
        }
        out.flush();
    }
}
