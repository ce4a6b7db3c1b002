"""SciPy functions that declare array API support, called with storax arrays.

Each case runs the SciPy function on NumPy inputs and on the same values as storax
arrays (``SCIPY_ARRAY_API=1``, set by the conftest) and checks that every array in the
result is a storax Array on the input's device with NumPy's shape, dtype and values.
The functions are those that SciPy's capability table (``xp_capabilities``) marks as
supported beyond NumPy, plus the array-API-native ``scipy.differentiate``,
``scipy.optimize.elementwise`` and ``scipy.integrate.tanhsinh/nsum``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.cluster.hierarchy as hier
import scipy.cluster.vq as vq
import scipy.constants as const
import scipy.differentiate as diff
import scipy.fft as fft
import scipy.integrate as integ
import scipy.interpolate as interp
import scipy.linalg as la
import scipy.ndimage as ndi
import scipy.optimize as opt
import scipy.optimize.elementwise as opt_elt
import scipy.signal as sig
import scipy.signal.windows as win
import scipy.special as sp
import scipy.stats as st
from _ecohelpers import XP, Case, case_params, run_case
from scipy.spatial.transform import RigidTransform, Rotation

# NumPy's floating-point RuntimeWarnings raised inside storax (division by zero, ...) are
# checked separately (test_interop.py::test_no_floating_point_warnings); here, results.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning:storax")

rng = np.random.default_rng(20240611)
N = 24
v = rng.standard_normal(N)
v2 = rng.standard_normal(N) + 0.3
v3 = rng.standard_normal(N) - 0.2
p = rng.uniform(0.05, 0.95, N)
p2 = rng.uniform(0.05, 0.95, N)
pos = rng.uniform(0.5, 5.0, N)
pos2 = rng.uniform(0.5, 5.0, N)
small_int = rng.integers(0, 6, N).astype(np.float64)
k_int = rng.integers(0, 6, N)
n_int = rng.integers(6, 12, N)
m = rng.standard_normal((6, 5))
img = rng.standard_normal((9, 10))
cplx = v + 1j * v2
counts = rng.integers(5, 20, 8).astype(np.float64)
mask = img > 0.2
labels = (img > 0).astype(np.int64) + (img > 1).astype(np.int64)
quats = rng.standard_normal((5, 4))
angles = rng.uniform(-1.0, 1.0, (5, 3))
vecs = rng.standard_normal((5, 3))
ba_b = np.array([0.2, 0.3, 0.2])
ba_a = np.array([1.0, -0.4, 0.1])
sos = np.array([[0.1, 0.2, 0.1, 1.0, -0.5, 0.2], [1.0, -0.3, 0.4, 1.0, 0.1, 0.3]])
xs = np.linspace(0.0, 3.0, 12)
ys = np.sin(xs)
xnew = np.linspace(0.1, 2.9, 17)

C = Case

# ---------------------------------------------------------------- scipy.special
SPECIAL_UNARY = {
    "erf": v, "erfc": v, "erfcx": v, "erfinv": 2 * p - 1, "expit": v, "logit": p,
    "ndtr": v, "ndtri": p, "log_ndtr": v, "gamma": pos, "gammaln": pos, "loggamma": pos,
    "rgamma": pos, "psi": pos, "gammasgn": v, "entr": pos, "i0": v, "i0e": v, "i1": v,
    "i1e": v, "j0": v, "j1": v, "y0": pos, "y1": pos, "k0": pos, "k0e": pos, "k1": pos,
    "k1e": pos, "cbrt": v, "cosdg": 40 * v, "sindg": 40 * v, "tandg": 40 * v,
    "cotdg": 40 * v, "cosm1": v, "exp10": v, "exp2": v, "exprel": v, "expi": pos,
    "exp1": pos, "sinc": v, "spence": pos, "zetac": pos + 1.5, "ellipk": p,
    "ellipkm1": p,
}  # fmt: skip
SPECIAL_CASES = [
    C(f"special.{name}", getattr(sp, name), (x,), f32=name in ("erf", "expit", "ndtr", "gamma"))
    for name, x in SPECIAL_UNARY.items()
]
SPECIAL_CASES += [
    C("special.xlogy", sp.xlogy, (pos, pos2)),
    C("special.xlog1py", sp.xlog1py, (pos, pos2)),
    C("special.rel_entr", sp.rel_entr, (p, p2)),
    C("special.kl_div", sp.kl_div, (p, p2), f32=True),
    C("special.huber", sp.huber, (np.full(N, 0.5), v)),
    C("special.pseudo_huber", sp.pseudo_huber, (np.full(N, 0.5), v)),
    C("special.gammainc", sp.gammainc, (pos, pos2)),
    C("special.gammaincc", sp.gammaincc, (pos, pos2)),
    C("special.gammaincinv", sp.gammaincinv, (pos, p), rtol=1e-6),
    C("special.gammainccinv", sp.gammainccinv, (pos, p), rtol=1e-6),
    C("special.betaln", sp.betaln, (pos, pos2)),
    C("special.binom", sp.binom, (3 * pos, pos)),
    C("special.poch", sp.poch, (pos, pos2)),
    C("special.boxcox", sp.boxcox, (pos, v)),
    C("special.boxcox1p", sp.boxcox1p, (pos, v)),
    C("special.inv_boxcox", sp.inv_boxcox, (p, p2)),
    C("special.inv_boxcox1p", sp.inv_boxcox1p, (p, p2)),
    C("special.hyp1f1", sp.hyp1f1, (p, pos, v)),
    C("special.betainc", sp.betainc, (pos, pos2, p)),
    C("special.betaincc", sp.betaincc, (pos, pos2, p)),
    C("special.betaincinv", sp.betaincinv, (pos, pos2, p), rtol=1e-6),
    C("special.expn", sp.expn, (small_int, pos)),
    C("special.yn", sp.yn, (small_int, pos)),
    C("special.multigammaln", sp.multigammaln, (pos + 3, 2)),
    C("special.lpmv", sp.lpmv, (np.zeros(N), small_int, 2 * p - 1)),
    C("special.polygamma", sp.polygamma, (small_int, pos)),
    C("special.zeta", sp.zeta, (pos + 1.1, pos2)),
    C("special.radian", sp.radian, (40 * v, 10 * v2, 10 * v)),
    C("special.stdtr", sp.stdtr, (pos, v)),
    C("special.stdtrit", sp.stdtrit, (pos, p), rtol=1e-6),
    C("special.chdtr", sp.chdtr, (pos, pos2)),
    C("special.chdtrc", sp.chdtrc, (pos, pos2)),
    C("special.chdtri", sp.chdtri, (pos, p), rtol=1e-6),
    C("special.fdtr", sp.fdtr, (pos, pos2, pos)),
    C("special.fdtrc", sp.fdtrc, (pos, pos2, pos)),
    C("special.fdtri", sp.fdtri, (pos, pos2, p), rtol=1e-6),
    C("special.gdtr", sp.gdtr, (pos, pos2, pos)),
    C("special.gdtrc", sp.gdtrc, (pos, pos2, pos)),
    C("special.bdtr", sp.bdtr, (k_int, n_int, p)),
    C("special.bdtrc", sp.bdtrc, (k_int, n_int, p)),
    C("special.bdtri", sp.bdtri, (k_int, n_int, p), rtol=1e-6),
    C("special.nbdtr", sp.nbdtr, (k_int, n_int, p)),
    C("special.nbdtrc", sp.nbdtrc, (k_int, n_int, p)),
    C("special.nbdtri", sp.nbdtri, (k_int, n_int, p), rtol=1e-6),
    C("special.pdtr", sp.pdtr, (small_int, pos)),
    C("special.pdtrc", sp.pdtrc, (small_int, pos)),
    C("special.pdtri", sp.pdtri, (small_int, p), rtol=1e-6),
    C("special.logsumexp", sp.logsumexp, (m,), {"axis": 1}, f32=True),
    C("special.logsumexp-b", sp.logsumexp, (v,), {"b": pos, "return_sign": True}),
    C("special.softmax", sp.softmax, (m,), {"axis": 0}, f32=True),
    C("special.log_softmax", sp.log_softmax, (m,), {"axis": -1}),
]

# ------------------------------------------------------------------ scipy.stats
STATS_CASES = [
    C("stats.describe", st.describe, (v,), f32=True),
    C("stats.skew", st.skew, (m,), {"axis": 0}),
    C("stats.kurtosis", st.kurtosis, (v,)),
    C("stats.moment", st.moment, (v,), {"order": 3}),
    C("stats.variation", st.variation, (pos,)),
    C("stats.zscore", st.zscore, (m,), {"axis": 1}, f32=True),
    C("stats.zmap", st.zmap, (v, v2)),
    C("stats.gzscore", st.gzscore, (pos,)),
    C("stats.gmean", st.gmean, (pos,)),
    C("stats.hmean", st.hmean, (pos,)),
    C("stats.pmean", st.pmean, (pos, 2.5)),
    C("stats.gstd", st.gstd, (pos,)),
    C("stats.sem", st.sem, (v,)),
    C("stats.iqr", st.iqr, (v,)),
    C("stats.median_abs_deviation", st.median_abs_deviation, (v,)),
    C("stats.tmean", st.tmean, (v, (-1.0, 1.0))),
    C("stats.tvar", st.tvar, (v, (-1.0, 1.0))),
    C("stats.tstd", st.tstd, (v,)),
    C("stats.tsem", st.tsem, (v,)),
    C("stats.tmin", st.tmin, (v, -0.5)),
    C("stats.tmax", st.tmax, (v, 0.5)),
    C("stats.trim_mean", st.trim_mean, (v, 0.1)),
    C("stats.sigmaclip", st.sigmaclip, (v,)),
    C("stats.entropy", st.entropy, (pos, pos2)),
    C("stats.differential_entropy", st.differential_entropy, (v,)),
    C("stats.ttest_1samp", st.ttest_1samp, (v, 0.1), f32=True),
    C("stats.ttest_ind", st.ttest_ind, (v, v2)),
    C("stats.ttest_rel", st.ttest_rel, (v, v2)),
    C(
        "stats.ttest_ind_from_stats",
        st.ttest_ind_from_stats,
        (
            np.asarray(0.1),
            np.asarray(1.0),
            np.asarray(10.0),
            np.asarray(0.3),
            np.asarray(1.2),
            np.asarray(12.0),
        ),
    ),
    C("stats.pearsonr", st.pearsonr, (v, v2)),
    C("stats.skewtest", st.skewtest, (v,)),
    C("stats.kurtosistest", st.kurtosistest, (v,)),
    C("stats.normaltest", st.normaltest, (v,)),
    C("stats.jarque_bera", st.jarque_bera, (v,)),
    C("stats.chisquare", st.chisquare, (counts,)),
    C("stats.power_divergence", st.power_divergence, (counts,), {"lambda_": "log-likelihood"}),
    C("stats.f_oneway", st.f_oneway, (v, v2, v3)),
    C("stats.alexandergovern", st.alexandergovern, (v, v2, v3)),
    C("stats.kruskal", st.kruskal, (v, v2, v3)),
    C("stats.friedmanchisquare", st.friedmanchisquare, (v, v2, v3)),
    C("stats.brunnermunzel", st.brunnermunzel, (v, v2)),
    C("stats.mannwhitneyu", st.mannwhitneyu, (v, v2)),
    C("stats.wilcoxon", st.wilcoxon, (v, v2)),
    C("stats.rankdata", st.rankdata, (small_int,)),
    C("stats.quantile", st.quantile, (v, np.asarray([0.1, 0.5, 0.9]))),
    C("stats.circmean", st.circmean, (v,)),
    C("stats.circvar", st.circvar, (v,)),
    C("stats.circstd", st.circstd, (v,)),
    C("stats.directional_stats", st.directional_stats, (vecs,)),
    C("stats.kstat", st.kstat, (v, 3)),
    C("stats.kstatvar", st.kstatvar, (v,)),
    C("stats.bartlett", st.bartlett, (v, v2, v3)),
    C("stats.levene", st.levene, (v, v2, v3)),
    C("stats.fligner", st.fligner, (v, v2, v3)),
    C("stats.ansari", st.ansari, (v, v2)),
    C("stats.mood", st.mood, (v, v2)),
    C("stats.combine_pvalues", st.combine_pvalues, (p,)),
    C("stats.false_discovery_control", st.false_discovery_control, (p,)),
    C("stats.spearmanrho", st.spearmanrho, (v, v2)),
    C("stats.chatterjeexi", st.chatterjeexi, (v, v2)),
    C("stats.lmoment", st.lmoment, (v,)),
    C("stats.mode", st.mode, (small_int,)),
    C("stats.boxcox_llf", st.boxcox_llf, (0.5, pos)),
    C("stats.yeojohnson_llf", st.yeojohnson_llf, (0.5, v)),
    C("stats.cramervonmises_2samp", st.cramervonmises_2samp, (v, v2)),
    C("stats.epps_singleton_2samp", st.epps_singleton_2samp, (v, v2), rtol=1e-6),
]

# -------------------------------------------------------------------- scipy.fft
FFT_CASES = [
    C(f"fft.{name}", getattr(fft, name), (x,), f32=name in ("fft", "rfft", "dct"))
    for name, x in {
        "fft": cplx, "ifft": cplx, "rfft": v, "irfft": cplx, "hfft": cplx, "ihfft": v,
        "fft2": m, "ifft2": m, "fftn": m, "ifftn": m, "rfft2": m, "irfft2": m + 1j * m,
        "rfftn": m, "irfftn": m + 1j * m, "hfft2": m + 0j, "hfftn": m + 0j, "ihfft2": m,
        "ihfftn": m, "dct": v, "idct": v, "dst": v, "idst": v, "dctn": m, "idctn": m,
        "dstn": m, "idstn": m, "fftshift": v, "ifftshift": m,
    }.items()
]  # fmt: skip
FFT_CASES += [
    C("fft.fft-n-axis", fft.fft, (m,), {"n": 8, "axis": 0}),
    C("fft.dct-type1-ortho", fft.dct, (v,), {"type": 1, "norm": "ortho"}),
    C("fft.fftfreq", fft.fftfreq, (10, 0.1), {"xp": XP}),
    C("fft.rfftfreq", fft.rfftfreq, (10, 0.1), {"xp": XP}),
    C("fft.fht", fft.fht, (pos, 0.1, 0.5)),
    C("fft.ifht", fft.ifht, (pos, 0.1, 0.5)),
]

# ----------------------------------------------------------------- scipy.signal
SIGNAL_CASES = [
    C("signal.convolve", sig.convolve, (v, v2[:5]), f32=True),
    C("signal.correlate", sig.correlate, (v, v2[:5])),
    C("signal.fftconvolve", sig.fftconvolve, (v, v2[:5])),
    C("signal.oaconvolve", sig.oaconvolve, (v, v2[:5])),
    C("signal.convolve2d", sig.convolve2d, (img, m[:3, :3])),
    C("signal.correlate2d", sig.correlate2d, (img, m[:3, :3]), {"mode": "same"}),
    C("signal.choose_conv_method", sig.choose_conv_method, (v, v2)),
    C("signal.lfilter", sig.lfilter, (ba_b, ba_a, v), f32=True),
    C("signal.lfilter_zi", sig.lfilter_zi, (ba_b, ba_a)),
    C("signal.lfiltic", sig.lfiltic, (ba_b, ba_a, v[:2], v2[:2])),
    C("signal.filtfilt", sig.filtfilt, (ba_b, ba_a, v)),
    C("signal.sosfilt", sig.sosfilt, (sos, v)),
    C("signal.sosfilt_zi", sig.sosfilt_zi, (sos,)),
    C("signal.sosfiltfilt", sig.sosfiltfilt, (sos, v)),
    C("signal.deconvolve", sig.deconvolve, (np.convolve(v[:8], ba_a), ba_a)),
    C("signal.detrend", sig.detrend, (v,)),
    C("signal.detrend-constant", sig.detrend, (m,), {"type": "constant", "axis": 0}),
    C("signal.hilbert", sig.hilbert, (v,)),
    C("signal.hilbert2", sig.hilbert2, (img,)),
    C("signal.envelope", sig.envelope, (v,)),
    C("signal.medfilt", sig.medfilt, (v, 3)),
    C("signal.medfilt2d", sig.medfilt2d, (img, 3)),
    C("signal.order_filter", sig.order_filter, (v, np.ones(3), 1)),
    C("signal.wiener", sig.wiener, (img,)),
    C("signal.savgol_filter", sig.savgol_filter, (v, 7, 2)),
    C("signal.savgol_coeffs", sig.savgol_coeffs, (7, 2), {"xp": XP}),
    C("signal.resample", sig.resample, (v, 30)),
    C("signal.resample_poly", sig.resample_poly, (v, 3, 2)),
    C("signal.upfirdn", sig.upfirdn, (ba_b, v, 2, 1)),
    C("signal.vectorstrength", sig.vectorstrength, (pos, 1.5)),
    C("signal.cspline1d", sig.cspline1d, (v,)),
    C("signal.qspline1d", sig.qspline1d, (v,)),
    C("signal.cspline1d_eval", sig.cspline1d_eval, (sig.cspline1d(v), xs)),
    C("signal.gauss_spline", sig.gauss_spline, (v, 3)),
    C("signal.freqz", sig.freqz, (ba_b, ba_a), {"worN": 16}),
    C("signal.freqz_sos", sig.freqz_sos, (sos,), {"worN": 16}),
    C("signal.group_delay", sig.group_delay, ((ba_b, ba_a),), {"w": 16}),
    C("signal.tf2zpk", sig.tf2zpk, (ba_b, ba_a)),
    C("signal.zpk2tf", sig.zpk2tf, (np.array([0.5, -0.5]), np.array([0.2, 0.1]), 2.0)),
    C("signal.sos2tf", sig.sos2tf, (sos,)),
    C("signal.normalize", sig.normalize, (ba_b, 2 * ba_a)),
    C("signal.bilinear", sig.bilinear, (ba_b, ba_a)),
    C("signal.lp2hp", sig.lp2hp, (ba_b, ba_a)),
    C("signal.lp2lp", sig.lp2lp, (ba_b, ba_a, 2.0)),
    C("signal.windows.hann", win.hann, (16,), {"xp": XP}),
    C("signal.windows.hamming", win.hamming, (16,), {"xp": XP}),
    C("signal.windows.blackman", win.blackman, (16,), {"xp": XP}),
    C("signal.windows.kaiser", win.kaiser, (16, 5.0), {"xp": XP}),
    C("signal.windows.tukey", win.tukey, (16, 0.3), {"xp": XP}),
    C("signal.windows.gaussian", win.gaussian, (16, 2.5), {"xp": XP}),
    C("signal.windows.chebwin", win.chebwin, (16, 60.0), {"xp": XP}),
    C("signal.windows.get_window", win.get_window, ("blackmanharris", 16), {"xp": XP}),
]

# ---------------------------------------------------------------- scipy.ndimage
NDIMAGE_CASES = [
    C("ndimage.gaussian_filter", ndi.gaussian_filter, (img, 1.2), f32=True),
    C("ndimage.gaussian_filter1d", ndi.gaussian_filter1d, (v, 1.5)),
    C("ndimage.uniform_filter", ndi.uniform_filter, (img, 3)),
    C("ndimage.uniform_filter1d", ndi.uniform_filter1d, (v, 3)),
    C("ndimage.median_filter", ndi.median_filter, (img, 3)),
    C("ndimage.maximum_filter", ndi.maximum_filter, (img, 3)),
    C("ndimage.minimum_filter", ndi.minimum_filter, (img, 3)),
    C("ndimage.maximum_filter1d", ndi.maximum_filter1d, (v, 3)),
    C("ndimage.minimum_filter1d", ndi.minimum_filter1d, (v, 3)),
    C("ndimage.percentile_filter", ndi.percentile_filter, (img, 30, 3)),
    C("ndimage.rank_filter", ndi.rank_filter, (img, 2, 3)),
    C("ndimage.sobel", ndi.sobel, (img,)),
    C("ndimage.prewitt", ndi.prewitt, (img,)),
    C("ndimage.laplace", ndi.laplace, (img,)),
    C("ndimage.gaussian_laplace", ndi.gaussian_laplace, (img, 1.0)),
    C("ndimage.gaussian_gradient_magnitude", ndi.gaussian_gradient_magnitude, (img, 1.0)),
    C("ndimage.convolve", ndi.convolve, (img, m[:3, :3])),
    C("ndimage.correlate", ndi.correlate, (img, m[:3, :3])),
    C("ndimage.convolve1d", ndi.convolve1d, (v, ba_b)),
    C("ndimage.correlate1d", ndi.correlate1d, (v, ba_b)),
    C("ndimage.zoom", ndi.zoom, (img, 1.5)),
    C("ndimage.shift", ndi.shift, (img, (0.5, -1.2))),
    C("ndimage.rotate", ndi.rotate, (img, 30.0)),
    C("ndimage.affine_transform", ndi.affine_transform, (img, np.array([[1.0, 0.1], [0.0, 1.0]]))),
    C("ndimage.map_coordinates", ndi.map_coordinates, (img, np.array([[0.5, 2.0], [1.5, 3.2]]))),
    C("ndimage.spline_filter", ndi.spline_filter, (img,)),
    C("ndimage.spline_filter1d", ndi.spline_filter1d, (img,)),
    C("ndimage.label", ndi.label, (mask,)),
    C("ndimage.center_of_mass", ndi.center_of_mass, (np.abs(img),)),
    C("ndimage.sum_labels", ndi.sum_labels, (img, labels, np.array([0, 1, 2]))),
    C("ndimage.mean", ndi.mean, (img, labels, np.array([0, 1, 2]))),
    C("ndimage.variance", ndi.variance, (img, labels, np.array([0, 1, 2]))),
    C("ndimage.standard_deviation", ndi.standard_deviation, (img, labels, np.array([0, 1]))),
    C("ndimage.minimum", ndi.minimum, (img, labels, np.array([0, 1]))),
    C("ndimage.maximum", ndi.maximum, (img, labels, np.array([0, 1]))),
    C("ndimage.median", ndi.median, (img, labels, np.array([0, 1]))),
    C("ndimage.extrema", ndi.extrema, (img,)),
    C("ndimage.binary_erosion", ndi.binary_erosion, (mask,)),
    C("ndimage.binary_dilation", ndi.binary_dilation, (mask,)),
    C("ndimage.binary_opening", ndi.binary_opening, (mask,)),
    C("ndimage.binary_closing", ndi.binary_closing, (mask,)),
    C("ndimage.binary_fill_holes", ndi.binary_fill_holes, (mask,)),
    C("ndimage.grey_erosion", ndi.grey_erosion, (img,), {"size": (3, 3)}),
    C("ndimage.grey_dilation", ndi.grey_dilation, (img,), {"size": (3, 3)}),
    C("ndimage.white_tophat", ndi.white_tophat, (img,), {"size": (3, 3)}),
    C("ndimage.black_tophat", ndi.black_tophat, (img,), {"size": (3, 3)}),
    C("ndimage.morphological_gradient", ndi.morphological_gradient, (img,), {"size": (3, 3)}),
    C("ndimage.distance_transform_edt", ndi.distance_transform_edt, (mask,)),
    C("ndimage.distance_transform_cdt", ndi.distance_transform_cdt, (mask,)),
    C("ndimage.fourier_gaussian", ndi.fourier_gaussian, (np.fft.fft2(img), 1.0)),
    C("ndimage.fourier_shift", ndi.fourier_shift, (np.fft.fft2(img), 1.5)),
]

# ------------------------------------------- integrate, optimize, differentiate


def _f_sin(x):
    return x * x - 2.0


INTEGRATE_OPTIMIZE_CASES = [
    C("integrate.trapezoid", integ.trapezoid, (ys, xs), f32=True),
    C("integrate.cumulative_trapezoid", integ.cumulative_trapezoid, (ys, xs)),
    C("integrate.cumulative_simpson", integ.cumulative_simpson, (ys,), {"x": xs}),
    C("integrate.simpson", integ.simpson, (ys,), {"x": xs}),
    C("integrate.romb", integ.romb, (np.sin(np.linspace(0, 2, 17)), 0.125)),
    C(
        "integrate.tanhsinh",
        lambda a, b: integ.tanhsinh(lambda x: x * x, a, b).integral,
        (np.array([0.0, 1.0]), np.array([1.0, 2.0])),
    ),
    C(
        "integrate.nsum",
        lambda a, b: integ.nsum(lambda k: 1.0 / (k * k), a, b).sum,
        (np.array([1.0, 2.0]), np.array([50.0, 80.0])),
    ),
    C("optimize.rosen", opt.rosen, (pos[:5],)),
    C("optimize.rosen_der", opt.rosen_der, (pos[:5],)),
    C("optimize.rosen_hess", opt.rosen_hess, (pos[:5],)),
    C("optimize.rosen_hess_prod", opt.rosen_hess_prod, (pos[:5], v[:5])),
    C(
        "optimize.elementwise.find_root",
        lambda lo, hi: opt_elt.find_root(_f_sin, (lo, hi)).x,
        (np.array([0.0, -3.0]), np.array([3.0, 0.0])),
    ),
    C(
        "optimize.elementwise.bracket_root",
        lambda x0: opt_elt.bracket_root(_f_sin, x0).bracket,
        (np.array([0.5, 2.0]),),
    ),
    C(
        "optimize.elementwise.find_minimum",
        lambda a, b, c: opt_elt.find_minimum(lambda x: (x - 0.7) ** 2, (a, b, c)).x,
        (np.array([0.0]), np.array([0.5]), np.array([2.0])),
        rtol=1e-6,
    ),
    C("differentiate.derivative", lambda x: diff.derivative(_exp, x).df, (p,), rtol=1e-9),
    C("differentiate.jacobian", lambda x: diff.jacobian(_vecfun, x).df, (p[:3],), rtol=1e-9),
    C(
        "differentiate.hessian",
        lambda x: diff.hessian(_scalfun, x).ddf,
        (p[:3],),
        rtol=1e-6,
        atol=1e-9,
    ),
]


def _xp(x):
    from scipy._lib._array_api import array_namespace

    return array_namespace(x)


def _exp(x):
    return _xp(x).exp(x)


def _vecfun(x):
    xp = _xp(x)
    return xp.stack([xp.sin(x[0]) * x[1], x[1] * x[2], xp.exp(x[0])])


def _scalfun(x):
    xp = _xp(x)
    return xp.sum(x**2, axis=0) + xp.sin(x[0]) * x[1]


# -------------------------------------------------- interpolate, linalg, cluster
INTERP_CASES = [
    C(
        "interpolate.make_interp_spline",
        lambda x, y, t: interp.make_interp_spline(x, y)(t),
        (xs, ys, xnew),
    ),
    C(
        "interpolate.make_lsq_spline",
        lambda x, y, k, t: interp.make_lsq_spline(x, y, k)(t),
        (xs, ys, np.r_[[0.0] * 4, 1.5, [3.0] * 4], xnew),
    ),
    C(
        "interpolate.make_smoothing_spline",
        lambda x, y, t: interp.make_smoothing_spline(x, y, lam=0.1)(t),
        (xs, ys, xnew),
    ),
    C("interpolate.CubicSpline", lambda x, y, t: interp.CubicSpline(x, y)(t), (xs, ys, xnew)),
    # SciPy 1.17's PchipInterpolator builds dk with np.zeros_like (interpolate/_cubic.py)
    # and hands that NumPy array to xp.reshape: storax accepts NumPy arrays there.
    C(
        "interpolate.PchipInterpolator",
        lambda x, y, t: interp.PchipInterpolator(x, y)(t),
        (xs, ys, xnew),
    ),
    C(
        "interpolate.CubicHermiteSpline",
        lambda x, y, d, t: interp.CubicHermiteSpline(x, y, d)(t),
        (xs, ys, np.cos(xs), xnew),
    ),
    C(
        "interpolate.BSpline",
        lambda k, c, t: interp.BSpline(k, c, 3)(t),
        (np.arange(10.0), v[:6], np.linspace(3.1, 5.9, 7)),
    ),
    C(
        "interpolate.RegularGridInterpolator",
        lambda a, b, z, q: interp.RegularGridInterpolator((a, b), z)(q),
        (np.arange(9.0), np.arange(10.0), img, np.array([[1.5, 2.5], [3.2, 7.7]])),
    ),
    C("linalg.block_diag", la.block_diag, (m[:2, :2], m[2:5, :3])),
    C("linalg.fiedler", la.fiedler, (v[:5],)),
    C("linalg.orthogonal_procrustes", la.orthogonal_procrustes, (m, m[::-1])),
    C("cluster.vq.whiten", vq.whiten, (m,)),
    C("cluster.vq.vq", vq.vq, (m, m[:2])),
    C("cluster.vq.kmeans2", lambda x, c: vq.kmeans2(x, c, minit="matrix"), (m, m[:2])),
    C("cluster.hierarchy.linkage", hier.linkage, (m,)),
    C("cluster.hierarchy.single", hier.single, (m,)),
    C("cluster.hierarchy.complete", hier.complete, (m,)),
    C("cluster.hierarchy.average", hier.average, (m,)),
    C("cluster.hierarchy.ward", hier.ward, (m,)),
    C("cluster.hierarchy.fcluster", hier.fcluster, (hier.ward(m), 2, "maxclust")),
    C("cluster.hierarchy.cophenet", hier.cophenet, (hier.average(m),)),
    C("cluster.hierarchy.leaves_list", hier.leaves_list, (hier.average(m),)),
    C("cluster.hierarchy.inconsistent", hier.inconsistent, (hier.average(m),)),
    C("cluster.hierarchy.maxdists", hier.maxdists, (hier.average(m),)),
    C("cluster.hierarchy.is_valid_linkage", hier.is_valid_linkage, (hier.average(m),)),
    C("constants.convert_temperature", const.convert_temperature, (pos, "Celsius", "Kelvin")),
    C("constants.lambda2nu", const.lambda2nu, (pos,)),
]

# --------------------------------------------------------- scipy.spatial.transform
SPATIAL_CASES = [
    C(
        "spatial.Rotation.from_quat.as_matrix",
        lambda q: Rotation.from_quat(q).as_matrix(),
        (quats,),
    ),
    C(
        "spatial.Rotation.from_euler.as_quat",
        lambda a: Rotation.from_euler("xyz", a).as_quat(),
        (angles,),
    ),
    C(
        "spatial.Rotation.from_rotvec.apply",
        lambda a, x: Rotation.from_rotvec(a).apply(x),
        (angles, vecs),
    ),
    C("spatial.Rotation.magnitude", lambda a: Rotation.from_rotvec(a).magnitude(), (angles,)),
    C(
        "spatial.Rotation.inv.as_rotvec",
        lambda a: Rotation.from_rotvec(a).inv().as_rotvec(),
        (angles,),
    ),
    # a rotation's quaternion is defined up to sign (q and -q): compare the canonical one
    C(
        "spatial.Rotation.mean",
        lambda q: Rotation.from_quat(q).mean().as_quat(canonical=True),
        (quats,),
    ),
    C("spatial.Rotation.as_euler", lambda q: Rotation.from_quat(q).as_euler("zyx"), (quats,)),
    C("spatial.Rotation.as_mrp", lambda q: Rotation.from_quat(q).as_mrp(), (quats,)),
    C(
        "spatial.Rotation.mul",
        lambda q, a: (Rotation.from_quat(q) * Rotation.from_rotvec(a)).as_quat(),
        (quats, angles),
    ),
    C(
        "spatial.RigidTransform.from_translation.apply",
        lambda t, x: RigidTransform.from_translation(t).apply(x),
        (vecs, vecs[::-1]),
    ),
    C(
        "spatial.RigidTransform.as_matrix",
        lambda q, t: RigidTransform.from_components(t, Rotation.from_quat(q)).as_matrix(),
        (quats, vecs),
    ),
]

CASES = (
    SPECIAL_CASES + STATS_CASES + FFT_CASES + SIGNAL_CASES + NDIMAGE_CASES
    + INTEGRATE_OPTIMIZE_CASES + INTERP_CASES + SPATIAL_CASES
)  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), case_params(CASES))
def test_scipy(case: Case, mode: str, backend: str, default_float: str) -> None:
    run_case(case, backend, mode)


def test_enough_cases() -> None:
    assert len({c.id.split("-")[0] for c in CASES}) > 150
