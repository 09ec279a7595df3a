package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
)

// modelVersion is a scoring model version as the API shows it (without
// its document).
type modelVersion struct {
	ID          int64           `json:"id"`
	Target      string          `json:"target" enum:"cure30,roll30,ew90,plan90"`
	Version     int             `json:"version"`
	Kind        string          `json:"kind" enum:"logistic,scorecard"`
	TrainedAsOf date.Date       `json:"trained_as_of"`
	Status      string          `json:"status" enum:"trained,approved,champion,challenger,retired"`
	Share       float64         `json:"share" doc:"A challenger's share of borrowers"`
	TrainedBy   string          `json:"trained_by"`
	CreatedAt   time.Time       `json:"created_at"`
	ApprovedBy  string          `json:"approved_by,omitempty"`
	PromotedBy  string          `json:"promoted_by,omitempty"`
	Summary     scoring.Summary `json:"summary" doc:"Snapshot dates, rows, positives and the train and out-of-time metrics"`
}

func toModelVersion(v sqlstore.ScoreModel) modelVersion {
	out := modelVersion{ID: v.ID, Target: v.Target, Version: v.Version, Kind: v.Kind, TrainedAsOf: v.TrainedAsOf, Status: v.Status,
		Share: v.Share, TrainedBy: v.TrainedBy, CreatedAt: v.CreatedAt, ApprovedBy: v.ApprovedBy, PromotedBy: v.PromotedBy}
	_ = json.Unmarshal(v.Summary, &out.Summary)
	return out
}

type modelTrainInput struct {
	Body struct {
		Target    string    `json:"target" enum:"cure30,roll30,ew90,plan90"`
		Kind      string    `json:"kind,omitempty" enum:"logistic,scorecard," doc:"logistic when empty"`
		AsOf      date.Date `json:"as_of,omitzero" doc:"The last date whose outcomes are read; today when absent"`
		Snapshots int       `json:"snapshots,omitempty" minimum:"0" maximum:"52" doc:"Snapshot dates (4 when 0); the latest validates out of time"`
		Every     int       `json:"every,omitempty" minimum:"0" maximum:"366" doc:"Days between snapshot dates (14 when 0)"`
		L2        float64   `json:"l2,omitempty" minimum:"0" doc:"L2 penalty (0: none)"`
	}
}

type modelPromoteInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Role  string  `json:"role" enum:"champion,challenger"`
		Share float64 `json:"share,omitempty" minimum:"0" maximum:"1" doc:"A challenger's share of borrowers, between 0 and 1"`
	}
}

type modelOutput struct{ Body modelVersion }

// registerModelAPI registers the scoring model versions: training on the
// database's history, the list, four-eyes approval and promotion.
func (s *Server) registerModelAPI() {
	tags := []string{"scoring models"}
	register(s, auth.PermModelTrain, huma.Operation{OperationID: "listModels", Method: http.MethodGet,
		Path: "/api/v1/models", Summary: "Scoring model versions, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []modelVersion }, error) {
			list, err := s.score.Models(ctx, apiActor(ctx), "")
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := []modelVersion{}
			for _, v := range list {
				out = append(out, toModelVersion(v))
			}
			return &struct{ Body []modelVersion }{out}, nil
		})
	register(s, auth.PermModelTrain, huma.Operation{OperationID: "trainModel", Method: http.MethodPost,
		Path: "/api/v1/models", Summary: "Train a model on the database's history; it waits for approval by another user",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *modelTrainInput) (*modelOutput, error) {
			b := in.Body
			v, _, err := s.score.Train(ctx, apiActor(ctx), scoring.TrainRequest{Target: features.Target(b.Target),
				Kind: model.Kind(b.Kind), AsOf: b.AsOf, Snapshots: b.Snapshots, Every: b.Every, L2: b.L2})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &modelOutput{toModelVersion(v)}, nil
		})
	register(s, auth.PermModelApprove, huma.Operation{OperationID: "approveModel", Method: http.MethodPost,
		Path: "/api/v1/models/{id}/approve", Summary: "Approve a trained model for use",
		Description: "Four eyes: the user who trained the model may not approve it (403).", Tags: tags},
		func(ctx context.Context, in *idParam) (*modelOutput, error) {
			v, err := s.score.Approve(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &modelOutput{toModelVersion(v)}, nil
		})
	register(s, auth.PermModelApprove, huma.Operation{OperationID: "promoteModel", Method: http.MethodPost,
		Path: "/api/v1/models/{id}/promote", Summary: "Make an approved model the champion, or the challenger on a share of borrowers",
		Description: "The version holding that role before is retired; the next nightly run scores with it.", Tags: tags},
		func(ctx context.Context, in *modelPromoteInput) (*modelOutput, error) {
			v, err := s.score.Promote(ctx, apiActor(ctx), in.ID, in.Body.Role, in.Body.Share)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &modelOutput{toModelVersion(v)}, nil
		})
}
