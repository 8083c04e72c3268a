package impex

import (
	"time"

	"go.uber.org/zap"
)

func (s *Service) sweepLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.sweep()
		}
	}
}

// sweep removes the files of jobs whose result links expired and forgets
// jobs past their retention: finished ones JobRetention after they ended,
// imports never uploaded JobRetention after their upload link expired.
func (s *Service) sweep() {
	now := s.now()
	var purge, strip []*job
	expired := 0 // imports forgotten without ever getting their file
	s.mu.Lock()
	for id, j := range s.jobs {
		var since time.Time
		switch {
		case j.Status.Finished():
			since = j.Ended
		case j.Status == StatusWaiting && !j.receiving:
			since = j.Import.UploadExpires
		default:
			continue
		}
		switch {
		case now.After(since.Add(s.cfg.JobRetention)):
			if j.Status == StatusWaiting {
				expired++
			}
			j.deleted = true
			delete(s.jobs, id)
			closeDone(j)
			purge = append(purge, j)
		case j.Status.Finished() && !j.FilesRemoved && now.After(since.Add(s.cfg.ResultTTL)):
			j.FilesRemoved = true
			strip = append(strip, j)
		}
	}
	s.mu.Unlock()
	for _, j := range strip {
		s.removeFiles(j.ID)
		if err := s.save(j); err != nil {
			s.log.Warn("cannot save an expired job", zap.String("id", j.ID), zap.Error(err))
		}
	}
	for range expired {
		s.m.job(KindImport, StatusExpired)
	}
	for _, j := range purge {
		if err := s.forget(j); err != nil {
			s.log.Warn("cannot forget an expired job", zap.String("id", j.ID), zap.Error(err))
		}
	}
}

// closeDone closes j.done unless it is closed. The caller holds s.mu.
func closeDone(j *job) {
	select {
	case <-j.done:
	default:
		close(j.done)
	}
}
