package dev.digestflow.bench.corpus;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import dev.digestflow.schema.id.ItemIds;

/**
 * Research-paper-like titles, all distinct by {@link ItemIds} identity. The vocabulary mixes the
 * taxonomy's terms (so enrich has real tagging work) with neutral words; a running number in every
 * pattern guarantees distinctness, and a collision check guards it anyway. Only letters, digits,
 * spaces, colons and hyphens: the characters every page format carries verbatim.
 */
final class TitleGenerator {

    private static final String[] METHODS = {"Sparse Attention", "Reinforcement Learning from Human Feedback", "Direct Preference Optimization",
            "Low-Rank Adapters", "Mixture of Experts", "Retrieval-Augmented Generation", "Speculative Decoding", "Diffusion Transformers",
            "Chain-of-Thought Prompting", "Quantization-Aware Training", "Contrastive Pretraining", "Tool-Using Agents", "Reward Models",
            "Vision-Language Models", "State Space Models", "Knowledge Distillation", "Graph Neural Networks", "Curriculum Learning"};
    private static final String[] TASKS = {"Long-Context Reasoning", "Code Generation", "Robotic Manipulation", "Machine Translation",
            "Protein Folding", "Jailbreak Robustness", "Mathematical Reasoning", "Speech Recognition", "Web Navigation", "Image Segmentation",
            "Time-Series Forecasting", "Question Answering", "Multi-Agent Planning", "Recommendation", "Weather Prediction"};
    private static final String[] CLAIMS = {"A Closer Look", "Lessons Learned", "What Actually Matters", "Revisited", "Scaling Laws",
            "A Unified View", "Failure Modes", "Cheap and Strong Baselines", "An Empirical Study", "Beyond the Benchmark"};
    private static final String[] PATTERNS = {"%1$s for %2$s: %3$s %4$d", "%3$s: %1$s in %2$s Across %4$d Tasks", "When %1$s Meets %2$s - Study %4$d",
            "%4$d Ways %1$s Changes %2$s", "Scaling %1$s to %4$d Billion Tokens for %2$s", "%1$s Is Not Enough for %2$s: %3$s Part %4$d"};

    private final Random random;
    private final Set<String> ids = new HashSet<>();
    private int serial;

    TitleGenerator(Random random) {
        this.random = random;
    }

    String next() {
        while (true) {
            serial++;
            String title = String.format(java.util.Locale.ROOT, PATTERNS[random.nextInt(PATTERNS.length)], pick(METHODS), pick(TASKS), pick(CLAIMS), serial);
            if (ids.add(ItemIds.of(title))) {
                return title;
            }
        }
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }
}
