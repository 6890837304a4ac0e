// Run as a single-file program: java vm/SurefireJvmArgs.java EFFECTIVE_POM MODULE_DIR...
// For each module directory, writes MODULE_DIR/target/kernel-test-jvm.args: a java @argfile holding
// the JVM options that surefire would give that module's tests (its argLine and
// systemPropertyVariables, read from the output of `mvn help:effective-pom`), so that the kernel
// tests in the guest run with the same options as the unit tests on the host (e.g. --add-exports).
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public class SurefireJvmArgs {
    public static void main(String[] args) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance(); // not namespace-aware: plain names
        Document effective = f.newDocumentBuilder().parse(Path.of(args[0]).toFile());
        XPath xp = XPathFactory.newInstance().newXPath();
        for (int i = 1; i < args.length; i++) {
            Path dir = Path.of(args[i]);
            Document pom = f.newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
            String artifactId = xp.evaluate("/project/artifactId", pom).trim();
            // the effective POM is <projects><project>... in a reactor, a single <project> otherwise
            String plugin = "//project[artifactId='" + artifactId + "']/build/plugins/plugin[artifactId='maven-surefire-plugin']";
            List<String> out = new ArrayList<>();
            String argLine = xp.evaluate(plugin + "/executions/execution[id='default-test']/configuration/argLine", effective);
            if (argLine.isBlank()) argLine = xp.evaluate(plugin + "/configuration/argLine", effective);
            // @{...} are surefire's late references (e.g. jacoco's @{argLine}): nothing sets them here
            argLine = argLine.replaceAll("@\\{[^}]*\\}", "").trim();
            if (!argLine.isEmpty()) out.add(argLine);
            NodeList props = (NodeList) xp.evaluate(plugin + "/configuration/systemPropertyVariables/*", effective, XPathConstants.NODESET);
            for (int p = 0; p < props.getLength(); p++) {
                Node n = props.item(p);
                if (n instanceof Element e) out.add(quote("-D" + e.getTagName() + "=" + e.getTextContent().trim()));
            }
            Files.write(dir.resolve("target/kernel-test-jvm.args"), out);
        }
    }

    // java @argfile syntax: whitespace separates arguments unless quoted; backslash escapes in quotes
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
