// Run as a single-file program: java vm/FailedTests.java REPORT.xml...
// Prints one block per failed or errored test case in JUnit XML reports (the console launcher's legacy
// format): "FAILED class#test", its message and the first stack frames in the test's own code, so that the
// end of a CI log names what failed even when the log is cut to its tail.
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class FailedTests {
    private static final int FRAMES = 4;

    public static void main(String[] args) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        for (String report : args) {
            NodeList cases = f.newDocumentBuilder().parse(Path.of(report).toFile()).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                for (String kind : new String[] {"failure", "error"}) {
                    NodeList problems = c.getElementsByTagName(kind);
                    if (problems.getLength() == 0) continue;
                    Element p = (Element) problems.item(0);
                    System.out.println("FAILED " + c.getAttribute("classname") + "#" + c.getAttribute("name"));
                    String message = p.getAttribute("message");
                    System.out.println("  " + message.lines().limit(6).collect(Collectors.joining("\n  ")));
                    // the frames in our code (dev.userevents), not the JUnit and reflection ones
                    System.out.println(Arrays.stream(p.getTextContent().split("\n"))
                            .filter(l -> l.contains("at dev.userevents."))
                            .limit(FRAMES)
                            .map(l -> "  " + l.strip())
                            .collect(Collectors.joining("\n")));
                }
            }
        }
    }
}
