package nmt.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless Chromium: type sentences, press Translate, read the
 * translations and the attention heatmap the page drew. Skipped when Debian's chromium and
 * chromium-driver are not installed.
 */
@Tag("trains")
class PageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private static TranslationServer server;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipping the browser test: install Debian's chromium and chromium-driver to run it");
        server = TranslationServer.start(List.of(new TranslationServer.LoadedModel(
                        ServedModels.load(ServedModels.enFr()), "en-fr")),
                new TranslationServer.Options("127.0.0.1", 0, null, List.of(),
                        ServeLimits.builder().maxQueueSentences(256).maxChars(1000).maxSentences(64).maxBeam(8).build()));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1100,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void typedSentencesAreTranslatedAndTheirAttentionIsDrawn() throws Exception {
        Http http = new Http(server.port());
        List<String> lines = List.of("1 2 3 4", "5 6 7");
        String expected = http.postJson("/translate", Map.of("q", String.join("\n", lines), "source", "en",
                "target", "fr")).json().get("translatedText").asText();

        browser.get(http.base() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> new Select(d.findElement(By.id("target"))).getOptions().size() > 0);
        assertEquals("en", new Select(browser.findElement(By.id("source"))).getFirstSelectedOption().getAttribute("value"));
        browser.findElement(By.id("text")).sendKeys(String.join("\n", lines));
        browser.findElement(By.id("translate")).click();
        wait.until(d -> !d.findElement(By.id("output")).getText().isEmpty());
        assertEquals(expected, browser.findElement(By.id("output")).getText());
        assertEquals("", browser.findElement(By.id("error")).getText());

        checkHeatmap(lines.get(0), expected.split("\n")[0]);
        // For a look at what the test saw (tests run from the repository root).
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("app", "target", "serve-page.png"), StandardCopyOption.REPLACE_EXISTING);

        new Select(browser.findElement(By.id("sentence"))).selectByValue("1");
        checkHeatmap(lines.get(1), expected.split("\n")[1]);
    }

    /** One row per output token, one column per source token and {@code <eos>}, each row a distribution. */
    private static void checkHeatmap(String source, String translation) {
        WebElement table = browser.findElement(By.id("heatmap"));
        List<WebElement> header = table.findElements(By.cssSelector("thead th"));
        int sourceTokens = source.split(" ").length + 1;
        assertEquals(sourceTokens + 1, header.size(), "a corner cell, the source tokens and <eos>");
        assertEquals("<eos>", header.get(header.size() - 1).getText());
        List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
        String[] outputTokens = translation.split(" ");
        assertEquals(outputTokens.length, rows.size());
        int reversed = 0;
        for (int t = 0; t < rows.size(); t++) {
            assertEquals(outputTokens[t], rows.get(t).findElement(By.tagName("th")).getText());
            List<WebElement> cells = rows.get(t).findElements(By.tagName("td"));
            assertEquals(sourceTokens, cells.size());
            double sum = 0;
            int argmax = 0;
            for (int s = 0; s < cells.size(); s++) {
                double w = Double.parseDouble(cells.get(s).getAttribute("data-weight"));
                sum += w;
                argmax = w > Double.parseDouble(cells.get(argmax).getAttribute("data-weight")) ? s : argmax;
            }
            assertEquals(1.0, sum, 1e-4, "row " + t + " is a distribution over the source");
            reversed += argmax == sourceTokens - 2 - t ? 1 : 0;
        }
        // A model that reverses digits looks at them in reverse order.
        assertTrue(reversed * 2 > rows.size(), reversed + " of " + rows.size() + " rows peak on the mirrored digit");
    }
}
