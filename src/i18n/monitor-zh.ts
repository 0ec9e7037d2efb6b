/** 监视器的中文句子：键与参数须与 monitor-en.ts 一致（类型为 typeof monitorEn，由编译器检查）。 */
import { fmtLr, fmtNum, type monitorEn, signedPercent } from "./monitor-en.ts";

type P = Record<string, string | number | boolean | undefined>;

const pct = (x: unknown) => `${Math.round(100 * Number(x))}%`;

const STATES = {
  warmup: "预热中",
  balanced: "平衡",
  d_dominant: "判别器占优",
  g_dominant: "生成器占优",
  collapse_suspected: "疑似模式崩溃",
  diverged: "发散",
  oscillating: "振荡",
  stalled: "停滞",
};
const FAMILIES = {
  bce: "BCE，非饱和生成器损失",
  bce_minimax: "BCE，极小极大（饱和）生成器损失",
  lsgan: "最小二乘（0-1 目标）",
  hinge: "hinge",
  wasserstein: "Wasserstein",
  ragan: "相对平均 BCE（RaGAN）",
  rahinge: "相对平均 hinge",
};
/** 假定损失族的依据（reference.ts FamilyEvidence），接在族名之后。 */
const FAMILY_EVIDENCE: Record<string, string> = {
  negative_disc: "，因为 loss_disc 出现了负值，只有 Wasserstein 评论器的损失会这样",
  negative_gen: "，因为 loss_gen 出现了负值，非饱和 BCE 生成器的损失不会这样",
  rvc_terms: "，因为日志里有 loss_mel / loss_kl / loss_fm：RVC / VITS 式的最小二乘 GAN",
  cyclegan_terms:
    "，因为日志里有 CycleGAN 的 cycle / idt 项：pytorch-CycleGAN-and-pix2pix 的最小二乘损失，判别器损失记录为一半 0.5·(real + fake)，所以每个判别器的均衡值是 0.25（--loss lsgan 则按未减半读取）",
  default: "，最常见的一种；日志中没有其他线索",
  undefined: "",
};
/** 一对损失为何不可能来自该损失族（src/monitor/rules/family-fit.ts），按每个子判别器计。 */
const misfitWhy = (p: P): string => {
  const v = fmtNum(p.value);
  const b = fmtNum(p.bound);
  switch (p.rule) {
    case "bce":
      return `BCE 判别器损失这么低时，每个判别器的生成器损失至少应为 ${b}，这里是 ${v}`;
    case "bce_minimax":
      return `-loss_gen 是 loss_disc 的两项之一，不可能大于它（${b} > ${v}）`;
    case "lsgan":
      return `最小二乘损失下 √(loss_disc/K) + √(loss_gen/K) 至少为 1，这里是 ${v}`;
    default:
      return `这种损失下每个判别器的 loss_disc + loss_gen 至少为 ${b}，这里是 ${v}`;
  }
};
const SOURCES = { option: "由参数给出", hints: "取自日志", tags: "取自各子判别器的标签", assumed: "假定" };
const lookup = (table: Record<string, string>, key: unknown) => table[String(key)] ?? String(key);
const state = (s: unknown) => STATES[s as keyof typeof STATES] ?? String(s);
const at = (p: P) =>
  p.nearEpoch !== undefined
    ? `（第 ${p.nearEpoch} 轮，取最近的已保存检查点）`
    : p.nearStep !== undefined
      ? `（第 ${p.nearStep} 步，取最近的已保存检查点）`
      : "";

export const monitorZh: typeof monitorEn = {
  state: STATES,
  health: { healthy: "健康", warning: "警告", unhealthy: "不健康" },
  phase: { early: "早期", middle: "中期", late: "后期" },
  family: FAMILIES,
  source: SOURCES,

  summary: {
    noPoints: (_p: P) => "数据还不够：没有任何数据点。",
    notEnoughData: (p: P) =>
      `数据还不够：同时记录两种损失的步数为 ${p.steps}；从 ${p.needed} 步起才判断平衡。`,
    cannotJudge: (p: P) =>
      `无法判断：这些损失不像是 K = ${p.k} 的${lookup(FAMILIES, p.family)}（loss_disc ${fmtNum(p.disc)}，loss_gen ${fmtNum(p.gen)}：${misfitWhy(p)}），因此以它的均衡值为准的任何平衡判断都不可信。`,
    fewSteps: (p: P) =>
      `${p.fits ? `对 K = ${p.k} 的${lookup(FAMILIES, p.family)}而言，这些数值是合理的` : `这些数值不符合 K = ${p.k} 的${lookup(FAMILIES, p.family)}（请用 --loss / --discriminators 指定）`}：loss_disc ${fmtNum(p.disc)}，loss_gen ${fmtNum(p.gen)}，均衡值为 ${fmtNum(p.eqDisc)} / ${fmtNum(p.eqGen)}。${p.steps} 步记录看不出趋势：判别器或生成器是否在占上风，要从 ${p.needed} 步起才判断。`,
    noDiscLoss: (p: P) => `无法判断平衡：loss_disc 与 loss_gen 没有同时记录（出现的标签：${p.tags}）。`,
    divergedFromStart: (p: P) =>
      `从第一个记录的步起就已发散：第 ${p.step} 步的 ${p.tag} 为 ${fmtNum(p.value)}。`,
    diverged: (p: P) =>
      `已发散：${p.tag} 在第 ${p.step} 步变为 ${fmtNum(p.value)}${p.finiteTags ? `，而 ${p.finiteTags} 仍为有限值` : ""}。`,
    exploded: (p: P) => `已发散：${p.tag} 在第 ${p.step} 步爆炸到 ${fmtNum(p.value)}。`,
    problem: (p: P) =>
      `${state(p.state)}：占训练后半程的 ${pct(p.share)}（最早从第 ${p.fromStep} 步起）${p.final !== p.state ? `；结束时为${state(p.final)}` : ""}。`,
    finalProblem: (p: P) => `自第 ${p.fromStep} 步起${state(p.state)}。`,
    healthy: (p: P) =>
      `平衡：两种损失都停留在均衡值附近（loss_disc ${fmtNum(p.disc)}，均衡值 ${fmtNum(p.eqDisc)}；loss_gen ${fmtNum(p.gen)}，均衡值 ${fmtNum(p.eqGen)}）。`,
    healthyOffEq: (p: P) =>
      `平衡：双方都没有占上风（loss_disc ${fmtNum(p.disc)}，均衡值 ${fmtNum(p.eqDisc)}；loss_gen ${fmtNum(p.gen)}，均衡值 ${fmtNum(p.eqGen)}）。`,
    drift: (p: P) =>
      `整个训练过程中${p.winner === "d" ? "判别器" : "生成器"}在慢慢占上风（loss_disc 变化了 ${fmtNum(p.discChange)}，loss_gen 变化了 ${fmtNum(p.genChange)}，以均衡值为单位），尽管逐步来看状态为${state(p.final)}。`,
    healthyNoEq: (p: P) =>
      `平衡：没有规则发现问题（loss_disc ${fmtNum(p.disc)}，loss_gen ${fmtNum(p.gen)}）。`,
  },

  advice: {
    fp16Nan: (p: P) =>
      `${p.tag} 在第 ${p.step} 步变为 NaN${p.finiteTags ? `，而 ${p.finiteTags} 仍为有限值` : ""}：关闭 fp16（fp16_run: false；P40、GTX 10 系等 Pascal 显卡没有完善的 fp16 支持），并从最近的检查点继续训练${p.checkpoint ? `（${p.checkpoint}）` : ""}。`,
    nanFromStart: (p: P) =>
      `从第一个记录的步（${p.step}）起损失就不是数：先检查数据（静音或损坏的片段、高频为空的片段），关闭 fp16 并降低学习率后再重新开始。`,
    nanGeneric: (p: P) =>
      `${p.tag} 在第 ${p.step} 步变为 ${fmtNum(p.value)}：从此前最近的检查点${p.checkpoint ? `（${p.checkpoint}）` : ""}继续，并降低学习率${p.lr !== undefined ? `（例如由 ${fmtLr(p.lrNow)} 降到 ${fmtLr(p.lr)}）` : ""}，同时裁剪梯度。`,
    explosion: (p: P) =>
      `${p.tag} 在第 ${p.step} 步爆炸：降低学习率${p.lr !== undefined ? `（例如由 ${fmtLr(p.lrNow)} 降到 ${fmtLr(p.lr)}）` : ""}并裁剪梯度。`,
    lowerLrD: (p: P) =>
      p.from !== undefined
        ? `判别器太强：把 lr_d 从 ${fmtLr(p.from)} 降到 ${fmtLr(p.to)}，或者每训练一次判别器就训练两次生成器。`
        : "判别器太强：把判别器的学习率减半，或者每训练一次判别器就训练两次生成器。",
    minimaxSwitch: (_p: P) =>
      "把生成器改用非饱和损失 -log D(G(z))：判别器占上风后，极小极大损失 log(1 - D(G(z))) 几乎不给生成器梯度。",
    lowerLrG: (p: P) =>
      p.from !== undefined
        ? `生成器相对判别器太强：把 lr_g 从 ${fmtLr(p.from)} 降到 ${fmtLr(p.to)}，或加强判别器（更宽，或每次生成器更新前训练两次判别器）。`
        : "生成器相对判别器太强：把生成器的学习率减半，或加强判别器（更宽，或每次生成器更新前训练两次判别器）。",
    featureMatching: (_p: P) =>
      "疑似模式崩溃：加入特征匹配（或小批量判别 / PacGAN），降低 lr_g，并检查样本是否多样。",
    dNoBetterThanConstant: (p: P) =>
      `最近的步骤中只有 ${pct(p.share)} 的 loss_disc 低于均衡值：判别器并不比一个常数输出更好（均衡值正是"对所有输入都输出 0.5"的得分），因此它教不了生成器任何东西，生成器的样本可能是任何东西。`,
    checkCollapse: (_p: P) =>
      "判别器在大部分训练中占优，且 loss_gen 远高于均衡值：请检查样本是否模式崩溃（少数模式生成得很好，其余缺失）。无论生成器已经崩溃还是仍在细化各个模式，损失曲线看起来都一样。",
    oscillation: (p: P) =>
      p.lrD !== undefined
        ? `两个玩家轮流占上风而不收敛：同时降低两个学习率（lr_d ${fmtLr(p.lrD)} → ${fmtLr(Number(p.lrD) / 2)}，lr_g ${fmtLr(p.lrG)} → ${fmtLr(Number(p.lrG) / 2)}），或使用 beta1 = 0.5 的 Adam。`
        : "两个玩家轮流占上风而不收敛：把两个学习率都减半，或使用 beta1 = 0.5 的 Adam。",
    stalledGrad: (_p: P) =>
      "生成器已得不到梯度（梯度范数接近 0）：神经元死亡或判别器饱和。用更低的学习率从更早的检查点继续，或改用 leaky ReLU。",
    stalledFlat: (_p: P) =>
      "判别器的输出不再变化（两种损失都是平的）：判别器已停止学习。用更低的学习率从更早的检查点继续，加宽判别器或改用 leaky ReLU。",
    rvcOvertrained: (p: P) =>
      `是否过拟合（过度训练）？日志无法判断：过度训练要靠听，而不是看数字（损失最低的轮次不一定最好）。这份日志显示：${p.dWinning ? "判别器正在超过生成器，训练时间长了通常如此" : "双方都没有明显占上风"}${p.mel ? `；loss_mel ${p.mel === "rising" ? "在上升（声音对数据的还原在变差：这是该停下的信号）" : p.mel === "falling" ? "仍在下降" : "平稳"}` : ""}${p.resumes ? `；训练恢复过 ${p.resumes} 次` : ""}。`,
    rvcListen: (p: P) => `试听候选轮次（${p.epochs}），保留听起来最好的一个：损失值无法替你判断。`,
    rvcDWinning: (_p: P) =>
      "判别器在慢慢占上风（loss_disc 下降而 loss_gen 上升），这在声音模型训练后期很常见：用耳朵对比更早的候选轮次；如果音质变差，就在这里停止或降低学习率。",
    klClamped: (p: P) =>
      `自第 ${p.step} 步起 loss_kl 停在 RVC 的截断值（${fmtNum(p.value)}，表示至少这么大）：继续训练之前先检查数据集（损坏或静音的片段、音高提取）。`,
    keepGoing: (_p: P) => "无需改动：两个玩家仍在正常博弈。",
    notEnoughData: (p: P) =>
      `一行看不出趋势：记录满 ${p.needed} 步后才判断平衡。请提供更多行（最好是完整的 train.log），或继续训练。`,
    nameFamily: (p: P) =>
      `请告诉 Nashboard 这是哪种损失：--loss <损失族>（${Object.keys(FAMILIES).join(", ")}），若 loss_disc 是 K 个子判别器之和，再加 --discriminators K（当前假定：${p.family}，K = ${p.k}）。`,
    logBothLosses: (_p: P) => "请在相同的步同时记录 loss_disc 与 loss_gen，才能判断平衡。",
  },

  alert: {
    skippedStep: (p: P) =>
      `第 ${p.step} 步的 ${p.tag} 为 ${fmtNum(p.value)}，而所有损失都是有限值：混合精度（fp16）下梯度缩放器会跳过这样的更新并降低缩放系数。这不是发散。`,
    nonFinite: (p: P) =>
      `第 ${p.step} 步的 ${p.tag} 为 ${fmtNum(p.value)}${p.finiteTags ? `（${p.finiteTags} 仍为有限值）` : ""}。`,
    explosion: (p: P) =>
      p.reason === "absolute"
        ? `${p.tag} 在第 ${p.step} 步爆炸：${fmtNum(p.value)}，超过 ${fmtNum(p.limit)}（其均衡尺度的 ${p.limitFactor} 倍）。`
        : `${p.tag} 在第 ${p.step} 步爆炸：${fmtNum(p.value)}，连续 ${p.sustain} 次尖峰。`,
    spike: (p: P) =>
      `${p.tag} 在第 ${p.step} 步出现尖峰：${fmtNum(p.value)}（相对近期中位数 ${fmtNum(p.median)} 的稳健 z 值为 ${fmtNum(p.z)}）。`,
    gradNormHigh: (p: P) =>
      `第 ${p.step} 步的 ${p.tag} 为 ${fmtNum(p.value)}，超过 ${fmtNum(p.limit)}：梯度这么大说明有问题。`,
    clamped: (p: P) =>
      `第 ${p.step} 步的 ${p.tag} = ${fmtNum(p.value)} 是训练器的截断值：真实值至少为 ${fmtNum(p.value)}。`,
    resume: (p: P) =>
      `训练在第 ${p.step} 步恢复（第 ${p.segment} 段）：步数计数回退了。这是断点续训，不是故障。`,
    outOfOrder: (p: P) =>
      `步序错乱：${p.count} 个数据点的步数回退或在该步判断完后才到达；步数回退被视为重新开始。`,
  },

  note: {
    notBothZero: (p: P) =>
      `loss_disc 与 loss_gen 并不应该同时降到零：它们衡量的是两个互相对抗的玩家；在均衡点 loss_disc = ${fmtNum(p.eqDisc)}，loss_gen = ${fmtNum(p.eqGen)}。对任何一方来说都不是越低越好。`,
    notBothZeroWasserstein: (_p: P) =>
      "loss_disc 与 loss_gen 并不应该同时降到零：随着生成器变好，评论家的损失趋于 0，而生成器的损失没有固定值。",
    oneLossOnly: (p: P) =>
      `此日志中只有 ${p.present}，没有 ${p.present === "loss_disc" ? "loss_gen" : "loss_disc"}：无法判断两个玩家之间的平衡，本报告所说的只关于 ${p.present}。如果另一个损失以 Nashboard 不认识的名字记录，请用 ${p.present === "loss_disc" ? "--g-tag" : "--d-tag"} 指定。`,
    familyAssumed: (p: P) =>
      `假定的损失函数族：${lookup(FAMILIES, p.family)}${lookup(FAMILY_EVIDENCE, p.evidence)}（可用 --loss 指定，例如 --loss hinge；可选：${Object.keys(FAMILIES).join(", ")}）。`,
    discHalved: (p: P) =>
      `判别器的损失按减半记录来读，即 0.5·(真实 + 生成)，这是 pytorch-CycleGAN-and-pix2pix 记录 D_A 与 D_B 的方式（日志中有它的 cycle / idt 项）：其均衡值为 ${fmtNum(p.eqDisc)}（--loss ${p.family} 则按不减半来读）。`,
    kAssumed: (p: P) =>
      `假定有 K = ${p.k} 个子判别器（RVC v2 / Applio）；RVC v1 为 7 个，so-vits-svc / VITS 为 6 个：若不同，请用 --discriminators 指定（例如 --discriminators 7）。`,
    kFrom: (p: P) =>
      `K = ${p.k} 个子判别器（${lookup(SOURCES, p.source)}${p.source === "tags" ? `：${p.k} 个带编号的标签，0 到 ${Number(p.k) - 1}` : ""}）；如需其他 K：--discriminators K。`,
    atEquilibrium: (p: P) =>
      `两种损失都停留在均衡值上（偏差在 ${pct(p.band)} 以内）：判别器分不清真实与生成的样本。如果生成器已经匹配了数据，这正是博弈的目标；但一个太弱或学得太慢的判别器也会写出同样的数字，而此时生成器的样本可能很差，或只覆盖少数几个模式。仅凭损失无法区分这两种情况：请查看样本${p.dOutputs ? "" : "，或记录 D(x) 与 D(G(z))"}${p.gradD !== undefined ? `（判别器的梯度范数为 ${fmtNum(p.gradD)}：停止学习的判别器梯度接近 0）` : ""}。在 Nashboard 的跨训练器基准（用 PyTorch 训练的二维小型 GAN，按样本评分）中，报告以这条说明结尾的 ${p.recordRuns} 个运行里，有 ${p.recordUnhealthy} 个的样本并不健康。`,
    gapFromAccuracy: (_p: P) =>
      "判别器的领先是由日志中的判别器准确率得到的（2 × 准确率 - 1：判别器瞎猜时为 0，总是判对时为 1），日志里没有 D(x) / D(G(z))。按判决计算比按概率更严：一个在大多数样本上以微弱优势判对的判别器也会显得遥遥领先。",
    dOutputsEstimated: (_p: P) =>
      "判别器的平均输出是由损失估算的（日志中没有 D(x) / D(G(z))）：由 Jensen 不等式，这是一个界，足以区分“接近 0.5”与“相差很远”。",
    jsdCaveat: (_p: P) =>
      "JS 散度下界 max(0, ln 2 - loss_disc / 2) 只有在判别器接近最优时才紧：判别器较弱或滞后时它很松（两个差别很大的分布也可能读出 0），而对训练批次过拟合的判别器会使它偏高。",
    dGraduallyWinning: (p: P) =>
      `整个训练过程中判别器在慢慢占上风：loss_disc 变化了 ${fmtNum(p.discChange)}，loss_gen 变化了 ${fmtNum(p.genChange)}（以均衡值为单位）。`,
    gGraduallyWinning: (p: P) =>
      `整个训练过程中生成器在慢慢占上风：loss_disc 变化了 ${fmtNum(p.discChange)}，loss_gen 变化了 ${fmtNum(p.genChange)}（以均衡值为单位）。`,
    clampedValues: (p: P) =>
      `${p.tag} 有 ${p.count} 行处于截断值 ${fmtNum(p.value)}：这些值表示“至少 ${fmtNum(p.value)}”，经过它们的趋势被低估。`,
    divergedBeforeResume: (p: P) =>
      `${p.tag} 在之前的一段中于第 ${p.step} 步发散；训练在第 ${p.resumeStep} 步恢复，结论针对恢复之后的部分。`,
    resumes: (p: P) => `训练恢复了 ${p.count} 次（在第 ${p.steps} 步）。`,
    skippedSteps: (p: P) =>
      `有 ${p.count} 个记录的步梯度范数不是有限值而损失仍是有限值（第一次：第 ${p.step} 步的 ${p.tag}）：这是 fp16 梯度缩放器跳过的更新，不是发散。`,
    stepsPerEpoch: (p: P) => `一轮为 ${fmtNum(p.steps)} 步。`,
  },

  reason: {
    lowestMel: (p: P) => `平滑后的 loss_mel 最低（${fmtNum(p.value)}）${at(p)}`,
    lowestGenTotal: (p: P) => `平滑后的 loss_gen_total 最低（${fmtNum(p.value)}）${at(p)}`,
    beforeGenRise: (p: P) => `loss_gen 开始上升前的最后一点（平滑值 ${fmtNum(p.value)}）${at(p)}`,
    beforeDivergence: (p: P) => `损失在第 ${p.step} 步变为 NaN 之前${at(p)}`,
    latest: (p: P) =>
      p.nearEpoch !== undefined
        ? `最新的已保存检查点（日志一直记录到第 ${p.nearEpoch} 轮）`
        : p.nearStep !== undefined
          ? `最新的已保存检查点（日志一直记录到第 ${p.nearStep} 步）`
          : "最新的模型",
  },

  trend: { rising: "上升", falling: "下降", flat: "平稳" },

  rule: {
    non_finite: "某个损失、判别器输出或梯度范数是 NaN 或无穷大",
    exploded: "某个损失爆炸了（远超均衡值，或连续出现尖峰）",
    warmup: "已判断的步数太少，还不能判断",
    dead_g_gradient: "生成器的梯度范数一步接一步恰好为 0",
    collapse_drop: "生成器损失快速下降，同时判别器的输出不再能区分真假",
    d_gap_dominant: "判别器对真实与生成数据的输出相差很远",
    d_gap_fooled: "判别器给生成数据的评分高于真实数据",
    g_gradient_vanished: "生成器的梯度降到了其最大值的极小一部分",
    frozen_game: "判别器的领先在整个训练中都没有变化（生成器已死）",
    frozen_losses: "两种损失完全不再变化（网络已死：批次噪声本会让它们变动）",
    never_let_go: "判别器的领先自早期以来从未降下来",
    critic_beaten:
      "WGAN 评判器的 Wasserstein 估计（-loss_disc）跌到 0 以下、远低于其峰值：它给生成数据的分数高于真实数据",
    critic_ahead: "WGAN 评判器的 Wasserstein 估计（-loss_disc）仍保持峰值的一半以上：生成器没有追上",
    d_beaten: "判别器在它自己的批次上比瞎猜还差",
    oscillation: "损失在摆动（幅度、自相关、穿越次数）",
    worse_than_constant: "判别器损失高于均衡值，即常数判别器能做到的最好水平",
    d_trend: "判别器损失下降而生成器损失上升或停滞，水平偏向判别器一侧",
    g_trend: "判别器损失上升而生成器损失下降，水平偏向生成器一侧",
    no_problem: "没有规则发现问题",
  } as Record<string, string>,

  explain: {
    title: "每个判断是如何做出的",
    entry: (p: P) => `第 ${p.from}–${p.to} 步：${state(p.state)}，规则 ${p.rule}：${p.ruleText}。`,
    evidenceHeld: (p: P) => `${p.signal} = ${fmtNum(p.value)} ${p.op} ${fmtNum(p.threshold)}（阈值）`,
    evidenceShown: (p: P) => `${p.signal} = ${fmtNum(p.value)}`,
    verdict: (p: P) => `结论 ${p.health}：${p.summary}`,
    verdictRule: (p: P) =>
      `结论只看已判断步数的后一半（不含预热）：若训练以持续了至少 ${p.minSteps} 个已判断步的问题结束，且它是严重问题（停滞、模式崩溃、发散），或问题合计至少占这一半的 ${pct(p.final)}，或停滞 / 模式崩溃占 ${pct(p.severe)}，则为不健康；若以问题结束，或某个问题至少占 ${pct(p.warn)}，则为警告；否则为健康。`,
    thresholds: (p: P) => `阈值：src/monitor/thresholds.ts（${p.count} 个值，各有理由）。`,
  },

  // 图（HTML 报告的图表、仪表盘）：图上与图旁的文字
  picture: {
    axisStep: "步数",
    /** Between evidence items. */
    listSeparator: "，",
    /** Between a series' logged values, and between a candidate's reasons. */
    valueSeparator: "；",
    equilibrium: (p: P) => `${p.tag} 均衡值 ${fmtNum(p.value)}`,
    valuesTitle: "数据点太少，画不成曲线：记录到的数值",
    valueAt: (p: P) => `第 ${p.step} 步为 ${fmtNum(p.value)}`,
    nonFiniteAt: (p: P) => `第 ${p.step} 步不是有限数`,
    alertKind: {
      non_finite: "非有限值",
      skipped_step: "跳过的步",
      explosion: "爆炸",
      spike: "尖峰",
      grad_norm_high: "梯度范数过高",
      clamped: "被截断的值",
      resume: "续训",
      out_of_order: "顺序错乱",
    },
    severity: { info: "信息", warning: "警告", critical: "严重" },
    signal: {
      d_gap: "判别器的领先（D(real) 与 D(fake) 均值之差）",
      "d_gap.abs": "判别器领先的幅度",
      "d_gap.floor_since_start": "判别器自开始以来的最小领先",
      "critic.estimate": "评判器的 Wasserstein 估计（-loss_disc）",
      "critic.peak": "评判器 Wasserstein 估计的峰值",
      "critic.estimate_to_peak": "评判器 Wasserstein 估计与其峰值之比",
      judged_steps: "已判断的步数",
      "grad_norm_g.ratio_to_max": "生成器梯度范数与其峰值之比",
      "grad_norm_g.zero_steps": "生成器没有梯度的步数",
      rel: (p: P) => `${p.tag} 相对其均衡值`,
      "rel.abs": (p: P) => `${p.tag} 与其均衡值的距离`,
      below_equilibrium_share: (p: P) => `${p.tag} 低于均衡值的步数比例`,
      run_range: (p: P) => `${p.tag} 在整个训练中的范围`,
      spread: (p: P) => `${p.tag} 的波动幅度`,
      trend: (p: P) => `${p.tag} 的趋势`,
      trend_z: (p: P) => `${p.tag} 趋势的确定程度（z）`,
      short_trend: (p: P) => `${p.tag} 最近的趋势`,
      short_trend_z: (p: P) => `${p.tag} 最近趋势的确定程度（z）`,
      long_trend: (p: P) => `${p.tag} 的长期趋势`,
      long_trend_z: (p: P) => `${p.tag} 长期趋势的确定程度（z）`,
      osc_amplitude: (p: P) => `${p.tag} 的摆动幅度`,
      osc_autocorr: (p: P) => `${p.tag} 摆动的规律性`,
      osc_crossings: (p: P) => `${p.tag} 穿过均衡值的次数`,
      explosion: (p: P) => `${p.tag} 爆炸`,
      non_finite: (p: P) => `${p.tag} 不是有限数`,
    },
  },

  text: {
    title: "Nashboard 平衡报告",
    reference: (p: P) =>
      `损失函数族：${lookup(FAMILIES, p.family)}（${lookup(SOURCES, p.familySource)}）；K = ${p.k}（${lookup(SOURCES, p.kSource)}）；均衡值 loss_disc ${fmtNum(p.eqDisc)}，loss_gen ${p.eqGen === null || p.eqGen === undefined ? "无" : fmtNum(p.eqGen)}。`,
    steps: (p: P) =>
      `已判断的步数：${p.count}${p.first !== undefined ? `（第 ${p.first} 步到第 ${p.last} 步）` : ""}。`,
    verdict: (p: P) => `结论：${p.healthText ?? p.health}${p.primary ? ` —— ${state(p.primary)}` : ""}`,
    verdictTooEarly: "结论：为时尚早，无法判断",
    tooEarly: "为时尚早，无法判断",
    advice: "建议：",
    timeline: "时间线：",
    timelineEntry: (p: P) =>
      `第 ${p.from}–${p.to} 步：${state(p.state)}（置信度 ${fmtNum(p.confidence)}${p.evidence ? `；${p.evidence}` : ""}）`,
    timelineOmitted: (p: P) => `……省略了 ${p.count} 条……`,
    phases: "阶段：",
    phaseEntry: (p: P) => `${p.phase}：第 ${p.from}–${p.to} 步`,
    noPhases: "阶段：训练过程还不够长，无法判断。",
    alerts: "警报：",
    alertEntry: (p: P) => `第 ${p.step} 步 [${p.kind}] ${p.message}`,
    alertsOmitted: (p: P) => `……另有 ${p.count} 条 ${p.kind} 警报。`,
    rvc: "声音模型相关：",
    trendEntry: (p: P) => `${p.tag}：${p.direction}（整个运行中变化为其水平的 ${signedPercent(p.change)}）`,
    candidates: "值得试听的候选轮次：",
    candidateEntry: (p: P) =>
      `${p.epoch !== undefined ? `第 ${p.epoch} 轮，` : ""}第 ${p.step} 步${p.file ? `（${p.file}）` : ""}：${p.reasons}`,
    jsd: (p: P) => `第 ${p.step} 步的 JS 散度 ≥ ${fmtNum(p.value)} nats（由 loss_disc 得到的下界）。`,
    notes: "说明：",
    dataQuality: (p: P) =>
      `数据：${p.points} 个点；${p.invalid} 个无法使用（缺少标签或步数），${p.late} 个迟到，${p.backward} 个步数回退，${p.repeated} 个重复了某一步。`,
  },
};
