package dev.septum.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, against a server on loopback, with
 * a fresh profile each time. Without chromium or chromedriver the test fails (it never skips):
 * install Debian's {@code chromium} and {@code chromium-driver}, as {@code .ci/run} does.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a page may take to show what a step waits for; the steps await conditions, never sleep. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final ChromeDriver driver;
    private final String base;
    private final Path profile;

    private Browser(ChromeDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    public static Browser open(int port, Path profile) {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver; .ci/run installs it)").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1440,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), "http://127.0.0.1:" + port, profile);
    }

    public WebDriver driver() {
        return driver;
    }

    public void go(String path) {
        driver.get(base + path);
    }

    public String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    /** Awaits the condition; when it never holds, the page it saw is kept as failed-wait.png and .html beside the screenshots. */
    public <T> T await(String what, ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(driver, PATIENCE).withMessage(what).until(readAgainAfterSwap(condition));
        } catch (TimeoutException e) {
            screenshot(Screens.file("failed-wait"));
            try {
                Files.writeString(Screens.file("failed-wait").resolveSibling("failed-wait.html"), path() + "\n" + driver.getPageSource());
            } catch (IOException io) {
                e.addSuppressed(io);
            }
            throw e;
        }
    }

    /**
     * A boosted page swap replaces elements the condition may be reading. Chromium reports that as a
     * stale element, or, when the swap lands between finding a node and reading it, as the inspector's
     * "Node with given id does not belong to the document": either way the condition reads again.
     */
    private static <T> ExpectedCondition<T> readAgainAfterSwap(ExpectedCondition<T> condition) {
        return d -> {
            try {
                return condition.apply(d);
            } catch (StaleElementReferenceException e) {
                return null;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return null;
                }
                throw e;
            }
        };
    }

    /** The element, once it is on the page. */
    public WebElement find(By by) {
        return await("waiting for " + by, d -> d.findElements(by).stream().findFirst().orElse(null));
    }

    /** Waits until the page's main heading reads {@code heading}, e.g. after a boosted link or form. */
    public void awaitHeading(String heading) {
        await("the page heading '" + heading + "'", d -> d.findElements(By.cssSelector("main h1")).stream()
                .anyMatch(h -> h.getText().equals(heading)));
    }

    /**
     * The data attribute {@code data-KEY} of every element matching {@code css}, read in one script
     * (element handles go stale while htmx swaps the page).
     */
    @SuppressWarnings("unchecked")
    public List<String> attributes(String css, String key) {
        return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(e => e.dataset[arguments[1]] || '')", css, key);
    }

    public void logIn(String user, String password) {
        go("/login");
        find(By.id("name")).sendKeys(user);
        find(By.id("password")).sendKeys(password);
        find(By.id("login")).click();
        awaitHeading("Dashboard");
    }

    public void logOut() {
        find(By.cssSelector("form.who button")).click();
        find(By.id("login"));
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a test class's browser, then its server; either may be null when the setup failed before it started. */
    public static void close(Browser browser, dev.septum.server.ServerHarness harness) {
        if (browser != null) {
            browser.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
