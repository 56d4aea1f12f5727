package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar sizes the docs state are the built jars': every line of README.md, docs/deploy.md and docs/api.md that
 * names a function jar (any CodeUri of template.yml, app functions' too) and a size in MB or MiB must be within 5 %
 * of that jar as this build made it (a size that
 * moved with the code is re-measured; a stale one, like 25.5 MB for a 12.5 MB jar, fails). docs/performance.md
 * keeps dated measurements of earlier builds and is not checked.
 */
class DocNumbersIT {

    private static final List<String> CHECKED = List.of("README.md", "docs/deploy.md", "docs/api.md");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(MB|MiB)\\b");
    private static final double TOLERANCE = 0.05;

    @Test
    void everyJarSizeTheDocsStateIsTheBuiltJarsWithinFivePercent() throws IOException {
        List<String> claims = new ArrayList<>();
        for (String doc : CHECKED) {
            List<String> lines = Files.readAllLines(DeployFiles.root().resolve(doc), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                claims.addAll(check(doc + ":" + (i + 1), lines.get(i)));
            }
        }
        assertThat(claims).as("the README states both jars' sizes").anyMatch(c -> c.contains("session-function.jar"))
                .anyMatch(c -> c.contains("db-function.jar"));
    }

    /** The size claims of one line (its first size, for the one jar it names), each checked against the jar. */
    private static List<String> check(String where, String line) throws IOException {
        String jar = null;
        for (String code : codePaths()) {
            if (line.contains(Path.of(code).getFileName().toString())) {
                jar = code;
                break;
            }
        }
        Matcher m = SIZE.matcher(line);
        if (jar == null || !m.find()) {
            return List.of();
        }
        String name = Path.of(jar).getFileName().toString();
        long bytes = Files.size(DeployFiles.codePath(jar));
        double stated = Double.parseDouble(m.group(1)) * (m.group(2).equals("MiB") ? 1024 * 1024 : 1_000_000);
        assertThat(Math.abs(stated - bytes) / bytes)
                .as("%s states %s %s for %s, which is %s bytes (%.2f MB)", where, m.group(1), m.group(2), name,
                        bytes, bytes / 1e6)
                .isLessThanOrEqualTo(TOLERANCE);
        return List.of(where + " " + name + " " + m.group().toLowerCase(Locale.ROOT));
    }

    /** Every function's code path in template.yml, each once. */
    private static Set<String> codePaths() {
        JsonNode template = DeployFiles.yaml("template.yml");
        Set<String> out = new LinkedHashSet<>();
        Descriptors.templateFunctions(template).keySet().forEach(f ->
                out.add(Descriptors.templateFunction(template, f).path("CodeUri").asText()));
        return out;
    }
}
