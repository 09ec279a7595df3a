package model

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"accord/internal/errs"
)

// fit holds the result of fitLogistic.
type fit struct {
	Beta       []float64
	Iterations int
}

const (
	maxIter = 100
	chunk   = 4096
	// maxCoef bounds a coefficient on the fitting scale (standardised
	// values, indicators): beyond it the odds change by more than e^25 per
	// standard deviation or level, which only (quasi-)separation produces.
	maxCoef = 25
)

// fitLogistic fits a logistic regression of y (0 or 1) on the columns of X
// by Newton-Raphson (iteratively reweighted least squares). Column 0 of X
// must be the intercept (all ones); it is never penalised. It minimises
//
//	−(1/n)·Σ [y·ln p + (1−y)·ln(1−p)] + (λ/2)·Σ_{j≥1} β_j²
//
// so λ = 0 is maximum likelihood. Each step solves the Newton system
// (XᵀWX/n + λI)Δ = gradient with a Cholesky factorisation, halving the
// step while the objective does not decrease. X is processed in chunks of
// rows, so the only large matrix is X itself.
func fitLogistic(X *mat.Dense, y []float64, l2 float64) (fit, error) {
	_, p := X.Dims()
	beta := mat.NewVecDense(p, nil)
	obj := objective(X, y, beta, l2)
	for it := 1; it <= maxIter; it++ {
		hess, grad := newtonSystem(X, y, beta, l2)
		var ch mat.Cholesky
		var step mat.VecDense
		if !ch.Factorize(hess) || ch.SolveVecTo(&step, grad) != nil {
			if maxAbs(beta.RawVector().Data[1:]) > maxCoef {
				break // separated: the weights of the rows vanished
			}
			return fit{}, errs.Errorf(errs.Invalid, "The features are collinear (or one is constant): the model cannot be fitted; drop a column or use an L2 penalty.")
		}
		next := mat.NewVecDense(p, nil)
		t := 1.0
		var nobj float64
		for half := 0; ; half++ {
			next.AddScaledVec(beta, -t, &step)
			nobj = objective(X, y, next, l2)
			if nobj <= obj || half == 30 {
				break
			}
			t /= 2
		}
		// Converged when the step no longer moves the coefficients, or
		// when no step along the Newton direction lowers the objective
		// any more (floating-point precision reached: keep beta).
		stuck := nobj > obj
		if !stuck {
			converged := t*maxAbs(step.RawVector().Data) < 1e-10*(1+maxAbs(beta.RawVector().Data))
			beta, obj = next, nobj
			stuck = converged
		}
		if stuck {
			if maxAbs(beta.RawVector().Data[1:]) > maxCoef {
				break // separation: the likelihood keeps growing as β runs off
			}
			return fit{Beta: beta.RawVector().Data, Iterations: it}, nil
		}
		if math.IsNaN(obj) || math.IsInf(mat.Norm(beta, math.Inf(1)), 0) {
			break
		}
	}
	return fit{Beta: beta.RawVector().Data}, errNoConvergence
}

// errNoConvergence is returned with the last coefficients when the fit
// does not converge, so that the caller can name the column that ran off.
var errNoConvergence = errs.Errorf(errs.Invalid, "The logistic regression did not converge (a feature may separate the classes perfectly): use an L2 penalty or drop the column.")

// runaway returns the index of the largest coefficient but the intercept.
func runaway(beta []float64) int {
	j := 1
	for i := 2; i < len(beta); i++ {
		if math.Abs(beta[i]) > math.Abs(beta[j]) {
			j = i
		}
	}
	return j
}

// objective is the penalised mean negative log-likelihood at beta.
func objective(X *mat.Dense, y []float64, beta *mat.VecDense, l2 float64) float64 {
	n, p := X.Dims()
	eta := mat.NewVecDense(n, nil)
	eta.MulVec(X, beta)
	var ll float64
	for i := 0; i < n; i++ {
		z := eta.AtVec(i)
		// ln(1+e^z) − y·z, computed without overflow.
		ll += softplus(z) - y[i]*z
	}
	pen := 0.0
	for j := 1; j < p; j++ {
		b := beta.AtVec(j)
		pen += b * b
	}
	return ll/float64(n) + l2/2*pen
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// newtonSystem returns the Hessian and gradient of the objective at beta,
// accumulated over chunks of rows: H = XᵀWX/n + λĨ, g = Xᵀ(p−y)/n + λβ̃.
func newtonSystem(X *mat.Dense, y []float64, beta *mat.VecDense, l2 float64) (*mat.SymDense, *mat.VecDense) {
	n, p := X.Dims()
	hess := mat.NewSymDense(p, nil)
	grad := mat.NewVecDense(p, nil)
	buf := mat.NewDense(min(chunk, n), p, nil)
	for r0 := 0; r0 < n; r0 += chunk {
		r1 := min(r0+chunk, n)
		xc := X.Slice(r0, r1, 0, p).(*mat.Dense)
		var eta, resid mat.VecDense
		eta.MulVec(xc, beta)
		resid.ReuseAsVec(r1 - r0)
		xw := buf.Slice(0, r1-r0, 0, p).(*mat.Dense)
		for i := 0; i < r1-r0; i++ {
			pr := sigmoid(eta.AtVec(i))
			resid.SetVec(i, pr-y[r0+i])
			sw := math.Sqrt(pr * (1 - pr))
			for j := 0; j < p; j++ {
				xw.Set(i, j, sw*xc.At(i, j))
			}
		}
		hess.SymRankK(hess, 1, xw.T())
		var g mat.VecDense
		g.MulVec(xc.T(), &resid)
		grad.AddVec(grad, &g)
	}
	inv := 1 / float64(n)
	hess.ScaleSym(inv, hess)
	grad.ScaleVec(inv, grad)
	for j := 1; j < p; j++ {
		hess.SetSym(j, j, hess.At(j, j)+l2)
		grad.SetVec(j, grad.AtVec(j)+l2*beta.AtVec(j))
	}
	return hess, grad
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
