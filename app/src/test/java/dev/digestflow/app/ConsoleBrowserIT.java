package dev.digestflow.app;

import static dev.digestflow.app.ConsoleFixture.POISON_TITLE;
import static dev.digestflow.app.ConsoleFixture.SAMPLE_ITEMS;
import static dev.digestflow.app.ConsoleFixture.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.fasterxml.jackson.databind.JsonNode;

import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * Every page of the console in a real browser (Debian's chromium through chromedriver), after the
 * samples, a bad file and a record the enrich stage dead-letters: the DOM shows the 89 items, the
 * tags, the failed file with its reason, the dead letter, drawn charts, and the browser logs no error.
 * A screenshot of each page goes to {@code app/target/console-screenshots/}. Without chromium the
 * test fails and says how to install it; it does not skip.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private ConsoleFixture f;

    @BeforeAll
    void ingestTheSamplesABadFileAndAPoisonRecord(TestStack stack, TestNames names) throws Exception {
        f = ConsoleFixture.samplesAndABadFile(stack, PipelineNames.prefixed(names.group("browser")));
        f.writePoison();
        await().atMost(Duration.ofMinutes(1)).until(() -> f.get("/api/pipeline").path("dlq").path("records").asLong() == 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
        void aRealBrowserShowsEveryPage() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        ChromeDriver browser = Browser.open(f.home.resolve("chromium-profile"));
        try {
            // Pipeline: the flow with live counts, the reconciliation in green, the services, the lag.
            browser.get(f.console.url() + "/");
            await().atMost(Duration.ofSeconds(60)).until(() -> text(browser, "[data-stage=index] .count").equals(String.valueOf(SAMPLE_ITEMS)));
            await().atMost(Duration.ofSeconds(90)).until(() -> js(browser, "return document.querySelector('[data-test=verdict]')?.className || ''").contains("ok"));
            assertThat(text(browser, "[data-stage=dlq] .count")).isEqualTo("1");
            assertThat(text(browser, "[data-test=services]")).contains("ingest-producer", "enrich-streams", "index-sink").doesNotContain("down");
            assertThat(text(browser, "[data-test=lag]")).contains(f.names.enrichAppId(), f.names.sinkGroup());
            screenshot(browser, "1-pipeline");

            // Topics: every digestflow topic, a drawn sparkline each, and the latest records decoded.
            browser.get(f.console.url() + "/topics");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, "[data-test=topics] tr[data-topic]") >= 4);
            assertThat(text(browser, "[data-test=topics]")).contains(f.names.raw(), f.names.tagged(), f.names.files(), f.names.dlq());
            assertThat(drawn(browser, "[data-test=sparkline]")).isTrue();
            // Clicked by script: the table is redrawn by every sample, an element found a moment ago may be gone.
            js(browser, "document.querySelector('tr[data-topic=\"' + arguments[0] + '\"] a').click(); return ''", f.names.tagged());
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, "[data-test=records] tr") > 1);
            assertThat(text(browser, "[data-test=records]")).contains("\"title\"", "\"tags\"");
            screenshot(browser, "2-topics");

            // Files: three processed, the failed one with the reason from its .error.txt.
            browser.get(f.console.url() + "/files");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, "[data-test=files] tr[data-status]") == 4);
            assertThat(count(browser, "tr[data-status=processed]")).isEqualTo(3);
            assertThat(text(browser, "tr[data-status=failed]")).contains("broken.json");
            JsonNode failedRow = find(f.get("/api/files").path("files"), "status", "failed");
            String firstLine = failedRow.path("reason").asText().lines().findFirst().orElseThrow();
            assertThat(text(browser, "tr[data-status=failed] [data-test=reason]")).contains(firstLine);
            screenshot(browser, "3-files");

            // Dead letters: the record of step 2 with its stage, item id, origin and reason.
            browser.get(f.console.url() + "/dead-letters");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, "[data-test=dead-letters] tr[data-coordinates]") == 1);
            assertThat(text(browser, "[data-test=dead-letters]")).contains("enrich-streams", ItemIds.of(POISON_TITLE), f.names.raw());
            screenshot(browser, "4-dead-letters");

            // Items: the 89 items, their tags, both charts drawn.
            browser.get(f.console.url() + "/items");
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, "[data-test=total]").startsWith(SAMPLE_ITEMS + " items"));
            JsonNode api = f.get("/api/items");
            List<String> topTags = new ArrayList<>();
            api.path("topTags").forEach(b -> topTags.add(b.path("key").asText()));
            topTags.remove("Other");
            String shownTags = text(browser, "[data-test=items]");
            assertThat(topTags).anySatisfy(t -> assertThat(shownTags).contains(t));
            assertThat(count(browser, "[data-test=items] tr[data-item]")).isEqualTo(Math.min(50, SAMPLE_ITEMS));
            assertThat(drawn(browser, "#chart-top-tags")).isTrue();
            assertThat(drawn(browser, "#chart-over-time")).isTrue();
            Object bars = ((JavascriptExecutor) browser).executeScript(
                    "return echarts.getInstanceByDom(document.getElementById('chart-top-tags')).getOption().yAxis[0].data;");
            assertThat(bars).asList().containsAll(topTags.subList(0, Math.min(5, topTags.size())));
            screenshot(browser, "5-items");

            List<String> problems = new ArrayList<>();
            for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                    problems.add(e.getLevel() + " " + e.getMessage());
                }
            }
            assertThat(problems).as("the browser's console").isEmpty();
        } finally {
            browser.quit();
        }
    }

    /**
     * Reads go through one script call each: the pages redraw from every server-sent sample, so an
     * element looked up in one WebDriver call can be replaced before the next one reads it.
     */
    private static String text(ChromeDriver browser, String css) {
        return js(browser, "const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
    }

    private static long count(ChromeDriver browser, String css) {
        return Long.parseLong(js(browser, "return String(document.querySelectorAll(arguments[0]).length)", css));
    }

    private static String js(ChromeDriver browser, String script, Object... args) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(script, args));
    }

    /** A chart is drawn when ECharts rendered a canvas of some size into the element. */
    private static boolean drawn(ChromeDriver browser, String css) {
        Object ok = ((JavascriptExecutor) browser).executeScript("const e = document.querySelector(arguments[0]);"
                + " const c = e && e.querySelector('canvas'); return !!(c && c.width > 0 && c.height > 0 && echarts.getInstanceByDom(e));", css);
        return Boolean.TRUE.equals(ok);
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
    /** Debian's chromium and chromedriver; missing, the test fails and says how to install them. */
    static final class Browser {
        static final Path CHROMIUM = Path.of(System.getProperty("digestflow.chromium", "/usr/bin/chromium"));
        static final Path CHROMEDRIVER = Path.of(System.getProperty("digestflow.chromedriver", "/usr/bin/chromedriver"));

        static ChromeDriver open(Path profile) {
            assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                    .as("the console's browser test needs Debian's chromium and chromedriver (" + CHROMIUM + ", " + CHROMEDRIVER
                            + "): apt-get install chromium chromium-driver (.ci/run installs them), or point -Ddigestflow.chromium and "
                            + "-Ddigestflow.chromedriver at others")
                    .isTrue();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            // The flags this machine needs: no sandbox as root, and no background calls to Google's hosts on a closed network.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1100", "--user-data-dir=" + profile.toAbsolutePath());
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
            return new ChromeDriver(service, options);
        }
    }
}
