/**
 * The page's own words in English and Chinese. The monitor's sentences (states, alerts, verdict,
 * advice) come from the server already rendered in the page's language, from the same catalogue the
 * terminal and HTML reports use; these are only the page's labels.
 */

/** @typedef {"en" | "zh"} Lang */

const en = {
  title: "Nashboard — the two players, live",
  runs: "Runs",
  overlay: "overlay",
  primary: "shown",
  smoothing: "Smoothing",
  xAxis: "X axis",
  axisStep: "step",
  axisEpoch: "epoch",
  axisTime: "time (s)",
  live: "live",
  reconnecting: "reconnecting…",
  loading: "loading…",
  noRuns: "No runs found yet: waiting for logs to appear.",
  alerts: "Alerts",
  noAlerts: "No alerts.",
  alertStep: "step",
  alertKind: "kind",
  alertSeverity: "severity",
  alertMessage: "message",
  advice: "What to do:",
  stateBand: "Monitor state",
  equilibrium: "equilibrium",
  jsdTitle: "JS divergence ≥ (from loss_disc, BCE)",
  controlTitle: "Controller adjustments",
  noControl: "No learning-rate adjustments.",
  panelTitle: "Real and generated samples over D's decision map",
  panelReal: "real",
  panelFake: "generated",
  panelDReal: "D says real",
  panelDFake: "D says generated",
  /** @param {number} step @param {string} source @param {number} [reject] */
  panelCaption: (step, source, reject) =>
    `step ${step} (${source === "live" ? "live from the trainer" : "from the last checkpoint"})${reject ? `; generated samples through D, the ${pct(reject)} it scores least real discarded` : ""}`,
  /**
   * An adjustment and, when its line gives it, the monitor's reading that caused it.
   * @param {import("./report-ui.js").ControlEvent} e @param {Record<string, string>} [states] the states' names
   */
  controlEntry: (e, states = {}) =>
    `step ${e.step}: ${knob("en", e)} ${fmt(e.from)} → ${fmt(e.to)}${e.reason ? ` (${reason("en", e.reason)}${e.urgent ? ", far: at once" : ""})` : ""}${
      e.state
        ? `; the monitor read ${states[e.state] ?? e.state}${e.confidence !== undefined ? ` (confidence ${e.confidence.toFixed(2)})` : ""}${e.rule ? `, rule ${e.rule}` : ""}${why(e)}`
        : ""
    }`,
  /** @param {number} step */
  latest: (step) => `latest step ${step}:`,
  /** @param {number} n */
  points: (n) => `${n.toLocaleString("en")} points`,
  // The samples view (samples.js): the images and audio a run logs
  samplesTitle: "Images and audio the run logged",
  /** @param {number} tags @param {number} candidates */
  samplesIntro: (tags, candidates) =>
    `${tags} image / audio tag(s). Each slider stops at the logged steps; ◆ marks the step nearest each candidate epoch, ▲ the latest step (hover for why). Compare a candidate with the latest step, or the generated sample with its ground truth, and keep the epoch that looks and sounds best.${candidates === 0 ? " The monitor names no candidate epochs for this run (it does for voice models whose losses it reads): compare steps by eye and ear." : ""}`,
  /** @param {string} kind @param {number} count @param {number[]} steps */
  samplesAbout: (kind, count, steps) =>
    `${kind === "image" ? "image" : "audio"} · ${count} sample(s) at ${steps.length} step(s), ${steps[0]}–${steps[steps.length - 1]}`,
  samplesZoom: "zoom",
  samplesFit: "fit",
  /** @param {string} tag */
  samplesStepSlider: (tag) => `logged step of ${tag}`,
  /** @param {string | undefined} other @param {number} step @param {string[]} candidates @param {boolean} last */
  samplesStepCaption: (other, step, candidates, last) =>
    `${other ? `${other}, ` : ""}step ${step}${last ? " (its latest)" : ""}${candidates.length > 0 ? ` — nearest to the candidate ${candidates.join("; ")}` : ""}`,
  /** @param {string} text @param {number} at */
  samplesCandidateMark: (text, at) => `candidate: ${text} (nearest logged step: ${at})`,
  /** @param {number} latest @param {number} at */
  samplesLatestMark: (latest, at) => `latest step ${latest} (nearest logged step: ${at})`,
  samplesThisTag: "this tag, at the step chosen here",
  samplesCompare: "compare with",
  samplesCompareSame: "this tag at another step",
  /** @param {string} tag */
  samplesCompareTruth: (tag) => `its ground truth: ${tag}`,
  /** @param {number | undefined} w @param {number | undefined} h @param {number} bytes */
  samplesImageInfo: (w, h, bytes) => `${w && h ? `${w} × ${h} px, ` : ""}${kib(bytes)}`,
  /** @param {number | undefined} rate @param {number | undefined} seconds @param {number} bytes @param {string} [label] */
  samplesAudioInfo: (rate, seconds, bytes, label) =>
    [label, seconds !== undefined ? `${seconds.toFixed(2)} s` : "", rate ? `${rate} Hz` : "", kib(bytes)]
      .filter((x) => x)
      .join(", "),
  samplesUnreadable: "This sample cannot be read any more: its event file changed since it was read.",
  // Values instead of a chart, the runs' health (issue 15)
  valuesTitle: "Too few points for a curve: the logged values",
  valueSeparator: "; ",
  listSeparator: ", ",
  /** @param {number} step @param {number} value */
  valueAt: (step, value) => `${fmt(value)} at step ${step}`,
  /** @param {number} step */
  nonFiniteAt: (step) => `not a finite number at step ${step}`,
  noReport: "not judged yet",
};

/** @typedef {typeof en} Strings */

/** @type {typeof en} */
const zh = {
  title: "Nashboard — 两个玩家，实时",
  runs: "运行",
  overlay: "叠加",
  primary: "显示",
  smoothing: "平滑",
  xAxis: "横轴",
  axisStep: "步数",
  axisEpoch: "轮次",
  axisTime: "时间（秒）",
  live: "实时",
  reconnecting: "正在重新连接…",
  loading: "加载中…",
  noRuns: "尚未找到运行：等待日志出现。",
  alerts: "警报",
  noAlerts: "没有警报。",
  alertStep: "步",
  alertKind: "类型",
  alertSeverity: "严重程度",
  alertMessage: "信息",
  advice: "建议：",
  stateBand: "监视器状态",
  equilibrium: "均衡值",
  jsdTitle: "JS 散度 ≥（由 loss_disc 估计，BCE）",
  controlTitle: "控制器调整",
  noControl: "没有学习率调整。",
  panelTitle: "真实样本与生成样本，背景为判别器的判定图",
  panelReal: "真实",
  panelFake: "生成",
  panelDReal: "D 判为真实",
  panelDFake: "D 判为生成",
  /** @param {number} step @param {string} source @param {number} [reject] */
  panelCaption: (step, source, reject) =>
    `第 ${step} 步（${source === "live" ? "来自正在训练的模型" : "来自最近的检查点"}）${reject ? `；生成样本经判别器筛选，丢弃判别器认为最不真实的 ${pct(reject)}` : ""}`,
  controlEntry: (e, states = {}) =>
    `第 ${e.step} 步：${knob("zh", e)} ${fmt(e.from)} → ${fmt(e.to)}${e.reason ? `（${reason("zh", e.reason)}${e.urgent ? "，差距很大：立即调整" : ""}）` : ""}${
      e.state
        ? `；监视器读数为${states[e.state] ?? e.state}${e.confidence !== undefined ? `（置信度 ${e.confidence.toFixed(2)}）` : ""}${e.rule ? `，规则 ${e.rule}` : ""}${why(e)}`
        : ""
    }`,
  latest: (step) => `最新第 ${step} 步：`,
  points: (n) => `${n.toLocaleString("zh")} 个点`,
  samplesTitle: "本次运行记录的图像与音频",
  samplesIntro: (tags, candidates) =>
    `共 ${tags} 个图像／音频标签。每个滑块只停在记录过的步上；◆ 标出离每个候选轮次最近的步，▲ 标出最新一步（悬停可看原因）。把候选轮次与最新一步对比，或把生成样本与其真实样本对比，留下看起来、听起来最好的轮次。${candidates === 0 ? "监视器没有为这次运行给出候选轮次（它只为读得到损失的声音模型给出）：请用眼睛和耳朵比较各步。" : ""}`,
  samplesAbout: (kind, count, steps) =>
    `${kind === "image" ? "图像" : "音频"} · ${steps.length} 步共 ${count} 个样本，第 ${steps[0]}–${steps[steps.length - 1]} 步`,
  samplesZoom: "缩放",
  samplesFit: "适应宽度",
  samplesStepSlider: (tag) => `${tag} 的记录步`,
  samplesStepCaption: (other, step, candidates, last) =>
    `${other ? `${other}，` : ""}第 ${step} 步${last ? "（其最新一步）" : ""}${candidates.length > 0 ? `——离候选轮次最近：${candidates.join("；")}` : ""}`,
  samplesCandidateMark: (text, at) => `候选：${text}（最近的记录步：${at}）`,
  samplesLatestMark: (latest, at) => `最新一步 ${latest}（最近的记录步：${at}）`,
  samplesThisTag: "本标签，在此处选择的步",
  samplesCompare: "对比",
  samplesCompareSame: "同一标签的另一步",
  samplesCompareTruth: (tag) => `其真实样本：${tag}`,
  samplesImageInfo: (w, h, bytes) => `${w && h ? `${w} × ${h} 像素，` : ""}${kib(bytes)}`,
  samplesAudioInfo: (rate, seconds, bytes, label) =>
    [label, seconds !== undefined ? `${seconds.toFixed(2)} 秒` : "", rate ? `${rate} Hz` : "", kib(bytes)]
      .filter((x) => x)
      .join("，"),
  samplesUnreadable: "这个样本已无法读取：其事件文件在读取之后被改动了。",
  valuesTitle: "数据点太少，画不成曲线：记录到的数值",
  valueSeparator: "；",
  listSeparator: "，",
  valueAt: (step, value) => `第 ${step} 步为 ${fmt(value)}`,
  nonFiniteAt: (step) => `第 ${step} 步不是有限数`,
  noReport: "尚未判断",
};

/** The controller's reason keys (src/control), in words; any other reason is shown as written. */
const REASONS = {
  en: {
    diverged: "the run is diverging: smaller steps for both",
    d_ahead: "the discriminator is ahead",
    g_ahead: "the generator is ahead",
    balanced: "balanced",
    no_signal: "no signal yet",
    unsure: "the monitor is not sure of a problem: holding",
    settle: "balanced for long: both rates eased together so the samples settle",
    finish: "a rescued run's last stretch of its budget: both rates eased together so the samples settle",
  },
  zh: {
    diverged: "运行正在发散：两者都减小步长",
    d_ahead: "判别器领先",
    g_ahead: "生成器领先",
    balanced: "平衡",
    no_signal: "尚无信号",
    unsure: "监视器对问题尚无把握：保持不变",
    settle: "长时间保持平衡：两个学习率一同减小，使样本收敛",
    finish: "被挽救的运行进入预算的最后一段：两个学习率一同减小，使样本收敛",
  },
};

/** The knob an adjustment turned, in words. @param {Lang} lang @param {import("./report-ui.js").ControlEvent} e */
function knob(lang, e) {
  const player = e.player ? `${e.player === "d" ? "D" : "G"} ` : "";
  if (e.kind === "d_steps_change") return lang === "zh" ? "每步判别器更新次数" : "D updates per step";
  if (e.kind === "r1_change") return lang === "zh" ? "R1 惩罚权重" : "R1 weight";
  return lang === "zh" ? `${player}学习率` : `${player}learning rate`;
}

/** The evidence of a reading: ": d_gap 0.84 ≥ 0.6, loss_disc.rel 0.3 < 0.5" (signal names as logged). */
function why(/** @type {import("./report-ui.js").ControlEvent} */ e) {
  const items = (e.evidence ?? []).map(
    (v) =>
      `${v.signal} ${fmt(v.value)}${v.op && v.threshold !== undefined ? ` ${OPS[v.op] ?? v.op} ${fmt(v.threshold)}` : ""}`,
  );
  return items.length > 0 ? `: ${items.join(", ")}` : "";
}

/** @type {Record<string, string>} */
const OPS = { ">=": "≥", "<=": "≤" };

/** @param {Lang} lang @param {string} key */
function reason(lang, key) {
  const table = /** @type {Record<string, string>} */ (REASONS[lang]);
  return Object.hasOwn(table, key) ? table[key] : key;
}

/** @type {Record<Lang, typeof en>} */
export const STRINGS = { en, zh };

/** A number as configs and logs write it: 2e-4, 0.693, 1200. */
export function fmt(/** @type {number} */ x) {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5))
    return x.toExponential(1).replace(/\.0e/, "e").replace("e+", "e");
  return String(Number(x.toPrecision(3)));
}

/** A size in bytes as KiB: 22094 -> "21.6 KiB". */
export function kib(/** @type {number} */ bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** A share 0..1 as a percentage: 0.05 -> "5%". */
export function pct(/** @type {number} */ x) {
  return `${Number((100 * x).toPrecision(3))}%`;
}

/** Writes the labels of the static page (elements with data-i18n) in `lang`. */
export function applyStaticText(/** @type {Lang} */ lang) {
  const s = /** @type {Record<string, unknown>} */ (STRINGS[lang]);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = STRINGS[lang].title;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const key = /** @type {HTMLElement} */ (el).dataset.i18n ?? "";
    const text = s[key];
    if (typeof text === "string") el.textContent = text;
  }
}
