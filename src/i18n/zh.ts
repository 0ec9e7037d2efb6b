/** 中文目录：键与参数须与 en.ts 一致（由类型检查保证）。 */
import type { EvalResult } from "../eval/index.ts";
import type { Messages } from "./index.ts";
import { fmtLr } from "./monitor-en.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

export const zh: Messages = {
  cliDescription: "显示 GAN 的两个玩家是否仍在博弈：训练、观察并诊断 GAN。",
  errorPrefix: "错误",
  optLang: "输出语言（默认取自系统区域设置）",
  cmdTrain: "在二维数据集上训练 GAN 并写入运行目录",
  cmdDemo: "在 ring8 上训练默认 GAN 并解释发生了什么（约一分钟）",
  optDataset: (names: string) => `数据集：${names} 之一，或二维点的 CSV 文件`,
  optSteps: "生成器更新次数（每次之前有 --d-steps 次判别器更新）",
  optSeed: "随机种子：相同种子得到相同的运行",
  optLoss: "损失函数族",
  optOptimizer: "两个网络的优化器",
  optLrD: "判别器学习率",
  optLrG: "生成器学习率",
  optBeta1: "Adam 的 beta1",
  optBeta2: "Adam 的 beta2",
  optDSteps: "每次生成器更新对应的判别器更新次数",
  optLatent: "生成器噪声输入的维数",
  optGHidden: "生成器隐藏层宽度，例如 128,128",
  optDHidden: "判别器隐藏层宽度，例如 128,128",
  optGActivation: "生成器激活函数",
  optDActivation: "判别器激活函数",
  optBatch: "批大小（真实与生成样本各一批）",
  optLogInterval: "每 n 步记录一次指标",
  optEvalInterval: "每 n 步运行一次评估器（0：仅在结束时）",
  optEvalSamples: "每次评估的生成样本数（论文用 2500）",
  optCheckpointInterval: "每 n 步写一次检查点（0：仅在结束时）",
  optOut: "运行目录（默认：runs/<数据集>-<损失>-s<种子>-<时间>）",
  optResume: "从该目录的最后一个检查点继续训练",
  optJson: "结束时输出一个包含配置与评估结果的 JSON 对象",
  progress: (p) =>
    `步 ${p.step}/${p.total}  loss_disc ${num(p.lossDisc)}  loss_gen ${num(p.lossGen)}${p.stepsPerSec === undefined ? "" : `  ${p.stepsPerSec.toFixed(0)} 步/秒`}`,
  training: (dataset, loss, dir) => `正在 ${dataset} 上训练 GAN（${loss} 损失），输出到 ${dir}`,
  resuming: (dir) => `从 ${dir} 的最后一个检查点继续训练`,
  rejecting: (share) =>
    `显示与评估的样本先经判别器筛选：丢弃生成器样本中判别器认为最不真实的 ${pct(share)}。`,
  evalLine: (e: EvalResult & { step: number }) =>
    e.modes !== undefined
      ? `第 ${e.step} 步：覆盖 ${e.modes}/${e.modes_total} 个模式，高质量样本 ${pct(e.hq ?? 0)}，反向 KL ${num(e.reverse_kl ?? Number.NaN)}，JSD ${num(e.jsd)} nats`
      : `第 ${e.step} 步：JSD ${num(e.jsd)} nats`,
  finished: (steps, seconds, dir) =>
    `完成：${steps} 步，用时 ${seconds.toFixed(1)} 秒（${(steps / Math.max(seconds, 1e-9)).toFixed(0)} 步/秒）。运行目录：${dir}`,
  interrupted: (steps, dir) =>
    `已在第 ${steps} 步停止并保存检查点。继续训练：nashboard train --resume ${dir}`,
  alreadyComplete: (steps, dir) => `${dir} 中的运行已完成全部 ${steps} 步，无需继续。用 --steps 可延长训练。`,
  staleLock: (lockPath, pid, host, started) =>
    `已接管 ${lockPath}：持有它的训练进程（${host} 上的 pid ${pid}，始于 ${started}）已不在运行。`,
  restarting: (dir, steps, files) =>
    `${dir} 中有 ${steps} 个已记录的步骤但没有检查点（运行在第一个检查点之前就停止了）：清空 ${files} 后从第 0 步重新开始。`,
  ioNoSpace: (path) => `无法写入 ${path}：磁盘已满（ENOSPC）；请释放空间，然后用 --resume 继续运行`,
  ioDenied: (path, code) => `无法写入 ${path}：权限被拒绝（${code}）；请让其目录可写，或换一个 --out`,
  ioReadOnly: (path) =>
    `无法写入 ${path}：文件系统是只读的（EROFS）；请把 --out 放到可写的磁盘上，或重新挂载后用 --resume 继续`,
  ioVanished: (path, code) =>
    `无法写入 ${path}：它所在的目录已不存在（${code}；运行期间被移动或删除）；请换一个 --out`,
  ioOther: (path, code) => `无法使用 ${path}（${code}）；请检查磁盘，然后用 --resume 继续运行`,
  outOfMemory: (detail) => `tfjs-wasm 后端内存不足（${detail}）；请减小 --batch、--g-hidden 或 --d-hidden`,
  demoIntro:
    "Nashboard 演示：生成器学习模仿圆周上的 8 个小高斯团（ring8），同时判别器学习区分生成点与真实点。",
  demoSettings: (parts) =>
    `它使用能让这局博弈保持平衡的设置（见 bench/RESULTS-steer.md）：${parts.join("，")}。`,
  demoR1: (gamma) => `R1 惩罚，让判别器在真实点附近的判断保持平滑（--r1 ${gamma}）`,
  demoRates: (lrD, lrG) => `判别器学习率 ${fmtLr(lrD)}，生成器学习率 ${fmtLr(lrG)}`,
  demoDecay: (fraction) =>
    `两者在训练的最后 ${Math.round(100 * fraction)}% 逐渐降低，让两个玩家稳定下来（--lr-decay ${fraction}）`,
  demoLatent: (n) => `生成器使用 ${n} 维噪声输入（--latent ${n}）`,
  demoWhatHappened: "发生了什么：",
  demoWatch: (dir) => `每个记录步的指标在 ${dir}/metrics.jsonl 中；画成图来看：nashboard watch ${dir}。`,
  demoNextBreak:
    "接下来看看平衡被打破：nashboard train --lr-d 1e-2 --d-steps 3（train 的普通设置加上快十倍的判别器：判别器获胜），再运行 nashboard demo --compare（控制器把这样的训练拉回平衡）。",
  demoNextDWon: "这局判别器赢了。看看控制器如何把这样的训练拉回平衡：nashboard demo --compare。",
  demoNextSteer: "这局训练出了问题。看看控制器如何把出问题的训练拉回平衡：nashboard demo --compare。",
  summaryModes: (modes, total, hq) =>
    `生成器的点落在 ${total} 个模式中的 ${modes} 个上；其中 ${pct(hq)} 是高质量样本（距某个模式中心不超过 3 个标准差）。`,
  summaryAllModes: "所有模式都被覆盖：没有模式崩溃。",
  summaryCollapse: "模式崩溃：生成器几乎把所有样本放在少数几个模式上，忽略了其余模式。",
  summaryPartial: (missing) =>
    `部分模式崩溃：有 ${missing} 个模式没有得到任何高质量样本。更长的训练、特征匹配或小批量多样性项通常有帮助。`,
  summaryLowQuality: "大多数样本落在模式之间：生成器（尚未）学会清晰的模式。",
  summaryJsd: (jsd) =>
    `真实点与生成点之间的 Jensen-Shannon 散度（网格估计）：${num(jsd)} nats（0 = 完全相同，ln 2 = 0.693 = 毫无重叠）。`,
  summaryDOutputs: (dReal, dFake) =>
    `结束时判别器对真实点的平均输出为 ${num(dReal)}，对生成点为 ${num(dFake)}（1 表示“肯定是真的”）。`,
  summaryNearEquilibrium: "两者都接近 1/2：判别器几乎分不清真假，这正是 GAN 追求的均衡。",
  summaryDAhead: "判别器仍能在一定程度上区分两者：它略占上风，这很常见，并不是失败。",
  summaryDWins: "判别器轻易就能区分两者：它正在获胜，生成器可能得不到有用的梯度。",
  summaryLosses: (ld, lg, eqd, eqg) =>
    `loss_disc 最终约为 ${num(ld)}（均衡值 ${num(eqd)}），loss_gen 约为 ${num(lg)}${eqg === null ? "" : `（均衡值 ${num(eqg)}）`}。`,
  summaryNotZero: "注意：GAN 的 loss_disc 和 loss_gen 本来就不应降到零；在理想平衡时它们停在均衡值附近。",
  // nashboard analyze：读取日志（src/cli/analyze-command.ts、analyze-summary.ts、read-progress.ts）
  cmdAnalyze: "读取训练日志（单个文件、一个运行目录或包含多个运行的目录），并列出读到的内容",
  argAnalyzePath: "日志文件、运行目录（RVC 的 logs/<实验名>、本工具的训练运行）或包含多个运行的目录",
  optExplain: "在报告之后，列出时间线上每个状态背后的规则、它比较的每个数字及阈值，以及结论如何权衡它们",
  optSeries: "列出找到的运行、各条序列（点数、首末步、NaN 个数）以及读取中遇到的每个问题",
  optAnalyzeJson: "以一个 JSON 对象输出同样的内容",
  optFormat: "按此格式读取日志，不自动识别",
  errPathNotFound: (path) => `文件或目录不存在：${path}`,
  errUnknownFormat: (path, formats) => `无法识别 ${path} 的格式；请用 --format 指定（可选：${formats}）`,
  errEmptyFile: (path) => `${path} 是空文件：还没有可读的内容`,
  lossLineAt: (line, text) => `第 ${line} 行：${text}`,
  errNoLosses: (path, read, tried, lossLike) =>
    `没有从 ${path} 读到判别器或生成器的损失（${read}；尝试过 ${tried}）` +
    (lossLike ? `；第一行看起来像损失的行：${lossLike}` : "") +
    `；请用 --d-tag 名称 --g-tag 名称 指明 D 和 G 损失的键或列（步数用 --step-tag 名称）`,
  noLossesReadAs: (format) => `按 ${format} 读取`,
  noLossesFound: (format, tags) => `按 ${format} 读取，读到 ${tags}，但没有 D 或 G 的对抗损失`,
  noLossesUnknown: "开头几行里没有任何格式读到 D 或 G 的损失",
  errSkippedNoLosses: (id, format) =>
    `已跳过 ${id}（${format}）：没有读到 D 或 G 的损失；可用 --d-tag / --g-tag 指明`,
  optDTag: "任意格式中作为 D 损失的键或列（例如 --d-tag 'Dis loss'）",
  optGTag: "任意格式中作为 G 损失的键或列（例如 --g-tag errG）",
  optStepTag: "任意文本格式中作为步数的键或列",
  errStdinTerminal: "'-' 从标准输入读取日志：请用管道传入（cat train.log | nashboard analyze -）",
  htmlWritten: (file, runs) => `已写入 ${file}：${runs} 个运行的报告，单个自包含页面`,
  optVersion: "显示版本号并退出",
  detectedBy: (format, confidence, line) =>
    `按 ${format} 读取（${confidence === "sure" ? "确定" : confidence === "likely" ? "可能" : confidence}）${line ? `，依据 ${line}` : ""}`,
  detectionTried: (tried) => `在开头几行尝试过的格式（读到的 D/G 损失点数）：${tried}`,
  errNoRuns: (path) =>
    `${path} 下没有找到训练日志（查找了事件文件、train.log、metrics.jsonl 以及 .log/.txt/.csv/.jsonl 日志）`,
  readingProgress: (readMb, totalMb, mbPerSec) =>
    `正在读取日志：${readMb.toFixed(1)} / ${totalMb.toFixed(1)} MB，${mbPerSec.toFixed(0)} MB/秒`,
  analyzeTotals: (runs, series, points) => `${runs} 个运行，${series} 条序列，${points} 个点`,
  analyzeRun: (id, format, files) => `运行 ${id}（${format}，${files} 个文件）`,
  analyzeFile: (path, format, role) => `文件 ${path}（${format}，${role}）`,
  analyzeLossFamily: (family) => `损失族：${family}`,
  analyzeDiscriminators: (k) => `子判别器个数：${k}`,
  analyzeCheckpoints: (n, last) => `日志记录了 ${n} 次检查点保存，最后一次：${last}`,
  analyzeNote: (note) => `说明：${note}`,
  analyzeSeriesColumns: {
    tag: "标签",
    sourceTag: "原始标签",
    points: "点数",
    firstStep: "首步",
    lastStep: "末步",
    nan: "NaN",
  },
  analyzeNoSeries: "没有读到标量序列",
  analyzeProblems: (n) => `读取中遇到 ${n} 个问题：`,
  analyzeNoProblems: "读取中没有遇到问题",
  analyzeAtLine: (path, line) => `${path}，第 ${line} 行`,
  analyzeAtByte: (path, offset) => `${path}，第 ${offset} 字节`,
  analyzeFatal: "（此文件其余部分未能读取）",
  analyzeSkipped: (path) => `已跳过 ${path}：不是 Nashboard 认识的日志格式（可试 --format）`,
  analyzeUnreadable: (path) => `已跳过 ${path}：无法读取`,
  optAnalyzeLoss: "运行的损失函数族（默认从日志判断；RVC 与 VITS 为 lsgan）",
  optDiscriminators: "子判别器个数 K（RVC v1：7，v2 与 Applio：9，so-vits-svc 与 VITS：6）",
  optHtml: "同时把报告写成一个自包含的 HTML 文件",
  monitorState: (step, state, confidence) =>
    `第 ${step} 步：监视器判断为「${state}」（置信度 ${confidence.toFixed(2)}）`,
  monitorAlert: (step, message) => `第 ${step} 步：${message}`,
  monitorVerdict: (health, summary) => `平衡：${health}。${summary}`,
  optController: "让控制器调节 lr_d 与 lr_g 以保持平衡（见 src/control）",
  controlLine: (step, param, from, to, reason) =>
    `第 ${step} 步：控制器把 ${param} 从 ${from.toExponential(2)} 调为 ${to.toExponential(2)}（${reason}）`,
  controlReason: {
    diverged: "运行正在发散：两者都减小步长",
    d_ahead: "判别器领先",
    g_ahead: "生成器领先",
    balanced: "平衡",
    no_signal: "尚无信号",
    unsure: "监视器对问题尚无把握：保持不变",
    settle: "长时间保持平衡：两个学习率一同减小，使样本收敛",
    finish: "被挽救的运行进入预算的最后一段：两个学习率一同减小，使样本收敛",
  },
  // nashboard watch 与 train --serve：实时仪表板
  cmdWatch: "为 PATH 下的运行提供实时仪表板（运行目录、RVC 实验目录或包含多个运行的日志目录）",
  argWatchPath: "日志文件、运行目录或包含多个运行的目录；随其增长持续跟踪",
  optServe: "同时为本次运行提供实时仪表板（见 nashboard watch）",
  optPort: "仪表板端口（默认：任一空闲端口）",
  optHost: "监听地址（默认 127.0.0.1）；指定任何 --host 都需要使用打印出的令牌",
  dashboardUrl: (url) => `仪表板：${url}`,
  dashboardToken: "请打开上面的地址：其中带有访问令牌，令牌只显示这一次。",
  dashboardRuns: (n) => `正在跟踪 ${n} 个运行；按 Ctrl-C 停止。`,
  dashboardStopped: "仪表板已停止。",
  dashboardBusy: (max) => `仪表板的连接数已达上限（${max} 个）；请稍后再试`,
  dashboardPagesFull: (max) => `仪表板已在服务 ${max} 个实时页面（上限）；请关闭其中一个后重新加载本页`,
  dashboardDropped: (kib) => `本页落后实时更新超过 ${kib} KiB，已被断开；页面会重新连接并重新加载`,
  // nashboard train 与 demo：对抗模式崩塌的手段（src/train/remedies.ts）与 demo --compare
  optFeatureMatching:
    "生成器损失中特征匹配项的权重：让判别器最后一个隐藏层在真实与生成数据上的均值一致（0：关闭）",
  optMinibatchStd: "把批次的标准差作为判别器的一个特征，使它能看出坍缩的批次",
  optPack: "PacGAN 打包：判别器一次判断这么多个样本（1：关闭；批大小须是其倍数）",
  optR1: "R1 惩罚权重 gamma，作用于判别器在真实数据处的梯度（0：关闭；常用 10）",
  optGradientPenalty: "WGAN-GP 惩罚权重 lambda（0：关闭；论文用 10）",
  optSpectralNorm: "对判别器每一层做谱归一化",
  optLabelSmoothing: "单侧标签平滑：判别器对真实数据的目标值为 1 减去此值（0：关闭；常用 0.1）",
  controlDStepsLine: (step, from, to, reason) =>
    `第 ${step} 步：控制器把每步判别器更新次数从 ${from} 调为 ${to}（${reason}）`,
  controlUrgent: (reason) => `${reason}，差距很大：立即以更大的幅度调整`,
  optLrDecay: "在运行最后这一比例的步数内，两个学习率线性降到 1%（0：不变；例如 0.5）",
  optGEma: "用生成器权重的滑动平均（此 beta）来显示与评估样本（0：关闭；例如 0.999）",
  optReject:
    "显示与评估的样本先经判别器筛选：丢弃生成器样本中判别器认为最不真实的这一比例（0：关闭；例如 0.05）",
  controlR1Line: (step, from, to, reason) =>
    `第 ${step} 步：控制器把 R1 惩罚权重从 ${from} 调为 ${to}（${reason}）`,
  optCompare:
    "在一个被故意破坏的设置上（默认 lr_d 放大 10 倍、判别器每步更新 3 次）并排训练普通的与受控制的 GAN，并加以比较",
  demoCompareIntro: (broken) =>
    `Nashboard demo --compare：同一个 GAN 在一个被故意破坏的设置上（${broken}）训练两次，一次保持原样，一次由控制器调节。两者同时训练，各占一个核。`,
  demoCompareBroken: (lrD, dSteps) => `判别器学习率 ${lrD}，生成器每更新一次判别器更新 ${dSteps} 次`,
  demoCompareWaiting: "正在训练两个运行；需要几分钟……",
  demoComparePlain: "没有控制器",
  demoCompareControlled: "有控制器",
  demoCompareDone: (label, seconds) => `${label}：用时 ${seconds.toFixed(0)} 秒完成。`,
  demoCompareResult: (label, modes, total, hqPercent, health) =>
    `${label}：生成器覆盖了 ${total} 个模式中的 ${modes} 个，${hqPercent.toFixed(0)}% 的样本是高质量的；监视器的结论：${health}。`,
  demoCompareAdjustments: (n, first) =>
    `控制器做了 ${n} 次调整，第一次在第 ${first} 步；每次调整都是 control.jsonl 中的一行。`,
  demoCompareNoAdjustments: "控制器没有发现需要纠正的地方，什么也没改。",
  demoCompareBetter: (gain) =>
    `控制器多保住了 ${gain} 个模式：它及早发现了失控的判别器，在生成器坍缩到少数几个模式之前减慢了判别器并对其加以正则化。`,
  demoCompareWorse: (loss) =>
    `这一次受控制的运行少覆盖了 ${loss} 个模式：调节无法挽回一切，而且一个种子只是一次抽样。`,
  demoCompareSame: (hqGainPercent) =>
    `两个运行覆盖的模式数相同；受控制运行的高质量样本比例相差 ${hqGainPercent.toFixed(0)} 个百分点。`,
  demoCompareWhere: (dir) => `两个运行都在 ${dir} 下；可用以下命令并排查看：nashboard watch ${dir}`,
  // 样本：事件文件记录的图像与音频（analyze --series、HTML 报告；issue 18）
  analyzeSamples: (tags, samples) =>
    `记录了 ${tags} 个图像／音频标签，共 ${samples} 个样本（字节仍留在事件文件中）：`,
  analyzeSamplesColumns: { tag: "标签", kind: "类型", count: "样本数", steps: "步" },
  sampleKinds: { image: "图像", audio: "音频" },
  analyzeSampleSteps: (shown, more) => (more > 0 ? `${shown}（最后一步之前另有 ${more} 步）` : shown),
  reportSamplesTitle: "候选轮次的图像与声音",
  reportSamplesIntro: (clipKiB, totalMiB) =>
    `每个候选轮次旁是在最近一步记录的图像与音频样本。不超过 ${clipKiB} KiB 的音频直接嵌入，可在本页播放；更大的音频，以及本页嵌入样本超过 ${totalMiB} MiB 之后的内容，只写出其步数。`,
  reportSampleAt: (tag, step, wanted) =>
    step === wanted ? `${tag}，第 ${step} 步` : `${tag}，第 ${step} 步（离第 ${wanted} 步最近）`,
  reportSampleTooBig: (tag, step, kiB, limitKiB) =>
    `${tag}，第 ${step} 步：${kiB} KiB，超过每段 ${limitKiB} KiB 的嵌入上限；请在仪表板中打开（nashboard watch）。`,
  reportSampleOverTotal: (tag, step) =>
    `${tag}，第 ${step} 步：未嵌入，本页大小已达上限；请在仪表板中打开（nashboard watch）。`,
  reportSampleUnreadable: (tag, step, reason) => `${tag}，第 ${step} 步：无法读取（${reason}）。`,
  reportSampleSame: (tag, step, shownFor) =>
    `${tag}，第 ${step} 步：与上面为第 ${shownFor} 步显示的是同一个样本。`,
  reportSampleLatest: "最新记录的一步（监视器没有为这次运行给出候选轮次）",
  // nashboard watch --steer：为其他训练程序给出控制器的决定（src/control/steerer.ts）
  optSteer:
    "调节这些运行：把控制器的决定（学习率倍数、每步判别器更新次数）写入每个运行目录下的 steer.json，供训练程序读取（见 README：调节任何训练程序）",
  optSteerDSteps: "与 --steer 一起使用：训练程序启动时每次生成器更新对应的判别器更新次数",
  steerLine: (run, step, lrD, lrG, dSteps, r1, reason) =>
    `${run}，第 ${step} 步：调节 lr_d ×${lrD.toPrecision(3)}，lr_g ×${lrG.toPrecision(3)}，判别器更新 ${dSteps} 次${r1 > 0 ? `，R1 ${r1}` : ""}（${reason}）`,
  steerSkipTrainer: (run) => `${run}：不调节：Nashboard 自己的训练运行由它的 \`train --controller\` 调节`,
  steerSkipShared: (run, folder) => `${run}：不调节：${folder} 中已有另一个运行的调节文件`,
  steerFailed: (run, reason) => `${run}：已停止调节：${reason}`,
  controlWhy: (state, confidence, rule, evidence) =>
    `；监视器读数为${state}（置信度 ${confidence.toFixed(2)}），规则 ${rule}${evidence ? `：${evidence}` : ""}`,
  optSteerSteps: "与 --steer 一起使用：运行计划的训练步数，使被挽救的运行在其内收尾",
  steerDStepsAlone: "--d-steps 与 --steps 是告诉 --steer 训练程序的运行情况的；请加上 --steer",
};
